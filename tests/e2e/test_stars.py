"""一事一评星 in chat: the secretary picks a member and writes the deed with its evidence; the member is told
privately and sees their own deeds (another member sees none of it, and nobody sees a count or a ranking); the
year's evaluation register lists the deed."""

from __future__ import annotations

from io import BytesIO

import openpyxl

from bot.services import evaluation
from tests.e2e.helpers import branch_with_members, column_of, data_rows, documents
from tests.support import SECRETARY_ID


async def test_star_awarded_with_written_evidence_reaches_the_member_and_the_register(harness):
    """/star → 李红梅 → 其他事迹 → one line is refused, deed and evidence on two lines are kept; 李红梅 is told and
    /stars lists it; 赵建国's /stars is empty and cannot award; /export evaluation lists the deed."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await secretary.send("/star")
    listed = await secretary.expect("一事一评星")
    assert [btn.label for row in listed.buttons for btn in row] == ["李红梅", "赵建国"]
    await secretary.press("李红梅", message=listed)
    await secretary.expect("依据是什么")
    await secretary.press("✍️ 其他事迹（写明依据）")
    await secretary.expect("请分两行发送")
    await secretary.send("连续三个月义务清扫小区楼道")
    await secretary.expect("第二行写依据")
    await secretary.send("连续三个月义务清扫小区楼道\n社区居委会出具的服务证明")
    done = await secretary.expect("已为 李红梅 评星")
    assert "社区居委会出具的服务证明" in done.plain
    await harness.drain()
    told = await a.expect("支部为您评星")
    assert "连续三个月义务清扫小区楼道" in told.plain
    await a.send("/stars")
    mine = await a.expect("我的星级事迹")
    assert "连续三个月义务清扫小区楼道" in mine.plain and "排名" not in mine.plain and "积分" not in mine.plain
    await b.send("/stars")
    assert "还没有评星记录" in (await b.expect("我的星级事迹")).plain
    await b.send("/star")
    await b.expect("权限")

    await evaluation.open_campaign(harness.svc, SECRETARY_ID, 14)
    await secretary.send("/export evaluation 2026")
    sent = await documents(secretary, 1)
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[0].file_id).content)).active
    rows, at = {r[1]: r for r in data_rows(sheet)}, column_of(sheet, "星级事迹\n（一事一评星）")
    assert rows["李红梅"][at] == "连续三个月义务清扫小区楼道（依据：社区居委会出具的服务证明）"
    assert not rows["赵建国"][at]
