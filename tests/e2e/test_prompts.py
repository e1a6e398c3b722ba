"""Prompts that carry the tap they ask for: a compliance warning starts scheduling, 不合格 in peer grading is
confirmed before it counts, and an upper-committee admin finds /countytheme in their command menu."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import evaluation, members
from tests.e2e.helpers import branch_with_members
from tests.support import ADMIN_ID


async def test_compliance_warning_carries_the_button_that_schedules_the_meeting(harness):
    """Half-way through December with no 支委会 scheduled, the secretary is warned with 📅 安排支部委员会; one tap
    opens /meeting with that kind chosen (asking for the time). Taps: 1 to reach the time prompt."""
    secretary, _ = await branch_with_members(harness, names=("李红梅",))
    harness.clock.set(datetime(2026, 12, 17, 1, 0, tzinfo=UTC))
    await harness.drain()
    warning = await secretary.expect("三会一课提醒")
    assert "支部委员会" in warning.plain and "📅 安排支部委员会" in warning.labels()
    await secretary.press("📅 安排支部委员会", message=warning)
    prompt = await secretary.expect("请发送会议日期和时间")
    assert "安排支部委员会" in prompt.plain


async def test_unqualified_peer_grade_asks_to_confirm(harness):
    """不合格 shows a confirmation with 确认 and « 返回; 返回 keeps no grade; 确认 keeps it. Other grades stay one tap."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await a.send("/peereval")
    await a.expect("已评 0/2")
    await a.press("赵建国 · 未评")
    card = await a.expect("请为 赵建国")
    await a.press("不合格", message=card)
    confirm = await a.expect("确定将 赵建国 同志评为")
    assert confirm.labels() == ["⚠️ 确认评为不合格", "« 返回"]
    campaign = await evaluation.for_year(harness.svc.db, 1, 2026)
    b_id = (await members.by_telegram_id(harness.svc.db, b.id)).id
    async with harness.svc.db.execute("SELECT COUNT(*) FROM evaluation_peer_grades") as cur:
        assert (await cur.fetchone())[0] == 0
    await a.press("« 返回", message=confirm)
    await a.expect("请为 赵建国")
    await a.press("不合格")
    await a.expect("确定将")
    answer = await a.press("⚠️ 确认评为不合格")
    assert "已评" in answer.text
    async with harness.svc.db.execute(
            "SELECT grade FROM evaluation_peer_grades WHERE campaign_id = ? AND subject_id = ?",
            (campaign.id, b_id)) as cur:
        assert (await cur.fetchone())[0] == "unqualified"


async def test_an_admin_who_is_no_member_gets_countytheme_in_the_menu(harness):
    """The upper committee's admin opens the bot: their own menu holds /countytheme (and /help lists it)."""
    await branch_with_members(harness, names=("李红梅",))
    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send("/start")
    await admin.expect()
    await harness.emu.idle()  # the menu is set beside the greeting
    assert "countytheme" in [c["command"] for c in harness.emu.commands_for(ADMIN_ID)]
    await admin.send("/help")
    assert "/countytheme" in (await admin.expect()).plain
