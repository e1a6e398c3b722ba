"""亮身份、亮职责、亮承诺 in chat: a member enters their post and pledge, the secretary confirms it, /me shows it, the
secretary reviews how it was kept (践诺) and the evaluation register lists post, pledge and 践诺."""

from __future__ import annotations

from io import BytesIO

import openpyxl

from bot.services import evaluation
from tests.e2e.helpers import branch_with_members, column_of, data_rows, documents
from tests.support import SECRETARY_ID


async def test_pledge_entered_confirmed_shown_in_me_reviewed_and_in_the_register(harness):
    """One line is refused; post and pledge on two lines are kept and confirmed with one tap; /me shows them; the
    member cannot review; the secretary's review (部分践诺 and a line) lands in the register."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await a.send("/pledge")
    await a.expect("请分两行发送")
    await a.send("3号楼楼栋长")
    await a.expect("这条没有保存")
    await a.send("/pledge")
    await a.expect("请分两行发送")
    await a.send("3号楼楼栋长\n每月走访楼内独居老人一次")
    await a.expect("待支部书记确认")
    await harness.drain()
    card = await secretary.expect("岗位和承诺，请确认")
    assert "每月走访楼内独居老人一次" in card.plain
    await secretary.press("✅ 确认", message=card)
    await secretary.expect("已确认 李红梅")
    await harness.drain()
    await a.expect("支部已确认")
    await a.send("/me")
    me = await a.expect("组织生活记录")
    assert "岗位：3号楼楼栋长" in me.plain and "待确认" not in me.plain

    await b.send("/pledges")
    await b.expect("权限")
    await secretary.send("/pledges")
    await secretary.expect("践诺评议")
    await secretary.press("李红梅")
    await secretary.expect("践诺情况如何")
    await secretary.press("部分践诺")
    await secretary.expect("请用一句话写明")
    await secretary.send("走访了8次，下半年因病缺了4次")
    await secretary.expect("已记录 李红梅 的践诺情况：部分践诺")

    await evaluation.open_campaign(harness.svc, SECRETARY_ID, 14)
    await secretary.send("/export evaluation 2026")
    sent = await documents(secretary, 1)
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[0].file_id).content)).active
    rows, at = {r[1]: r for r in data_rows(sheet)}, column_of(sheet, "岗位承诺\n及践诺")
    assert rows["李红梅"][at] == ("岗位：3号楼楼栋长；承诺：每月走访楼内独居老人一次；践诺：部分践诺"
                                "（走访了8次，下半年因病缺了4次）")
    assert not rows["赵建国"][at]
