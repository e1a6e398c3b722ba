"""/settings: the secretary changes quiet hours, the digest time, the notice nudge, the minutes deadline and the
三会一课 cadences with buttons; each press is re-authorised and every change audited; defaults follow the 条例."""

from __future__ import annotations

from storage import audit, branches, members, minutes
from tests.e2e.helpers import branch_with_members


async def _pick(secretary, field_label: str, choice: str):
    """Two taps: the setting on the card, then a choice; the card comes back with the new value."""
    await secretary.press(field_label)
    await secretary.expect("请选择")
    answer = await secretary.press(choice)
    assert "已修改" in answer.text
    return await secretary.expect("支部设置")


async def test_secretary_changes_each_setting_by_taps_and_each_change_is_audited(harness):
    """Defaults on the card (22:00–07:00, 08:30, 3 天, 3 个工作日, 组织生活会 每年 1 次); quiet hours, digest,
    nudge, minutes deadline and a cadence changed by two taps each, stored where the bot reads them, audited
    with the secretary as actor; /settings is in the secretary's menu and /help."""
    secretary, _ = await branch_with_members(harness, names=("李红梅",))
    assert "settings" in [c["command"] for c in harness.emu.commands_for(secretary.id)]
    await secretary.send("/help")
    assert "/settings" in (await secretary.expect("您可以")).plain
    await secretary.send("/settings")
    card = await secretary.expect("支部设置")
    assert "免打扰：22:00–07:00" in card.plain and "每日摘要：08:30" in card.plain
    assert "会后 3 个工作日内提交" in card.plain and "组织生活会：每年 1 次" in card.plain
    assert "党课：每半年 1 次" in card.plain

    await _pick(secretary, "免打扰开始：22:00", "23:00")
    await _pick(secretary, "免打扰结束：07:00", "06:00")
    await _pick(secretary, "每日摘要时间：08:30", "09:00")
    await _pick(secretary, "通知未读催办：3 天", "5 天")
    await _pick(secretary, "会议记录期限：3 个工作日", "5 个工作日")
    card = await _pick(secretary, "党课：每半年 1 次", "每季度 1 次")
    assert "免打扰：23:00–06:00" in card.plain and "党课：每季度 1 次" in card.plain

    settings = (await branches.get(harness.svc.db, 1)).settings
    assert (settings.quiet_start, settings.quiet_end, settings.digest_time, settings.notice_nudge_days) == (
        "23:00", "06:00", "09:00", 5)
    rules = await minutes.rules_of(harness.svc.db, 1)
    assert rules.minutes_working_days == 5 and rules.cadences["lecture"].per == "quarter"
    secretary_row = await members.by_telegram_id(harness.svc.db, secretary.id)
    entries = [e for e in await audit.for_branch(harness.svc.db, 1)
               if e.action in ("settings.change", "meetings.rules")]
    assert len(entries) == 6 and {e.actor_id for e in entries} == {secretary_row.id}


async def test_members_and_forged_choices_change_nothing(harness):
    """A member's /settings and forged presses are refused; a choice not offered is stale; nothing is written."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await a.send("/settings")
    await a.expect("权限")
    forged = await a.press_data(a.last.message_id, "st:s:quiet_start:2")
    assert "权限" in forged.text
    await secretary.send("/settings")
    card = await secretary.expect("支部设置")
    odd = await secretary.press_data(card.message_id, "st:s:quiet_start:9")
    assert "失效" in odd.text or "过期" in odd.text
    odd = await secretary.press_data(card.message_id, "st:f:tz")
    assert "失效" in odd.text or "过期" in odd.text
    assert (await branches.get(harness.svc.db, 1)).settings.quiet_start == "22:00"
    assert not [e for e in await audit.for_branch(harness.svc.db, 1) if e.action == "settings.change"]
