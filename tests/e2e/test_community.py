"""在职党员到社区报到 end to end: a member of one branch opens a community's 报到 link, the community's secretary
confirms with a tap; the member logs an hour line (a bad one refused, nothing kept), the community confirms it,
and the member's own branch sees the hours at the evaluation — in the member's /evaluation and in the register.
And the 民心墙's poster (PNG and PDF) comes with one tap; a resident sees the wall's public board in their chat."""

from __future__ import annotations

from io import BytesIO

import openpyxl

from bot.services import evaluation, membership
from tests.e2e.helpers import branch_with_members, column_of, data_rows, documents
from tests.support import SECRETARY_ID

COMMUNITY_SECRETARY = 3001
LINE = "到幸福社区党支部报到，志愿服务 1 次、共 3 小时（社区已确认）"


async def _community(harness):
    """幸福社区党支部 with its own secretary, who opened the bot; (the secretary, the 报到 code from /serve)."""
    await membership.create_branch(harness.svc, "幸福社区党支部", COMMUNITY_SECRETARY, "周书记")
    secretary = harness.emu.user(COMMUNITY_SECRETARY, "周")
    await secretary.send("/start")
    await secretary.expect("您好")
    await secretary.send("/serve")
    shown = await secretary.expect("报到链接")
    return secretary, shown.plain.split("start=", 1)[1].split()[0]


async def test_member_reports_logs_hours_community_confirms_own_branch_sees_them(harness):
    """Register → 确认报到 → 记录志愿服务 (0 hours refused) → 确认服务 (a second tap says it was) → /evaluation and
    the register show 3 hours."""
    secretary, (worker, _) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    community, code = await _community(harness)
    await worker.send(f"/start {code}")
    await worker.expect("已向幸福社区党支部报到")
    await worker.send(f"/start {code}")
    await worker.expect("不需要重复报到")
    await harness.drain()
    card = await community.expect("在职党员报到：李红梅")
    await community.press("✅ 确认报到", message=card)
    await community.expect("已确认 李红梅 到幸福社区党支部报到")
    again = await community.press_data(card.message_id, card.button("✅ 确认报到").data)
    assert "已经确认过了" in again.text  # a second tap says so; the member is told once
    await harness.drain()
    confirmed = await worker.expect("已确认您的报到")
    await worker.press("📝 记录志愿服务", message=confirmed)
    await worker.expect("请用一行发送")
    await worker.send("11月20日 0小时 为独居老人修理水管")
    await worker.expect("服务时长要大于 0 小时")
    await worker.send("11月20日 3小时 为独居老人修理水管")
    await worker.expect("已记录，等待幸福社区党支部确认")
    await harness.drain()
    card = await community.expect("志愿服务待确认：李红梅")
    assert "已确认" in (await community.press("✅ 确认服务", message=card)).text
    await community.expect("已确认 李红梅 的志愿服务")
    again = await community.press_data(card.message_id, card.button("✅ 确认服务").data)
    assert "已经确认过了" in again.text  # a second tap says so; the member is told once
    await harness.drain()
    await worker.expect("幸福社区党支部已确认您的志愿服务")

    await evaluation.open_campaign(harness.svc, SECRETARY_ID, 14)
    await harness.drain()
    await worker.send("/evaluation")
    assert LINE in (await worker.expect("互评：已评")).plain
    await secretary.send("/export evaluation 2026")
    sent = await documents(secretary, 1)
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[0].file_id).content)).active
    rows, at = {r[1]: r for r in data_rows(sheet)}, column_of(sheet, "社区报到\n志愿服务")
    assert rows["李红梅"][at] == LINE
    assert not rows["赵建国"][at]


async def test_wall_poster_with_one_tap_and_a_residents_public_board(harness):
    """海报 under /wall sends a PNG and a PDF; a resident at the wall sees its public board, not the dispatcher's."""
    community, _ = await _community(harness)
    await community.send("/wall")
    shown = await community.expect("居民点单链接")
    wall_code = shown.plain.split("start=", 1)[1].split()[0]
    await community.press("🖨 民心墙海报（PNG、PDF）", message=shown)
    sent = await documents(community, 2)
    assert [m.file_name.rsplit(".", 1)[1] for m in sent] == ["png", "pdf"]
    assert harness.emu.file(sent[0].file_id).content.startswith(b"\x89PNG")
    assert harness.emu.file(sent[1].file_id).content.startswith(b"%PDF")
    await community.expect("民心墙海报（A4）")

    resident = harness.emu.user(5001, "张大妈")
    await resident.send(f"/start {wall_code}")
    await resident.expect("居民点单")
    await resident.send("楼道灯坏了")
    await resident.expect("已收到")
    await resident.press("✅ 提交")
    await resident.expect("点单已提交")
    await resident.press("🧱 看看墙上的点单")
    board = await resident.expect("幸福社区党支部 · 民心墙")
    assert "待派单" in board.plain and "楼道灯" not in board.plain
