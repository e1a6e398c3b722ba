"""Review of filed records end to end: approved minutes reach 城关镇党委's officer, who returns them from the
digest with a reason — the secretary and the recorder are told why, the record is open for changes again, and
once approved again it is filed anew; 已审阅 is recorded under the officer's name; an officer of another 党委, a
member and a stale press are refused; /overview, the branch card and the unit's register show the status; a
record left unreviewed past its day reminds the officer once."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import openpyxl

from bot.services import review
from storage import filing as filing_store
from storage import submissions
from tests.e2e.helpers import (
    OFFICER,
    OTHER_OFFICER,
    branch_with_members,
    data_rows,
    documents,
    submitted_minutes,
    two_committees,
)

NEXT_MORNING = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 on 11月24日, Shanghai
PAST_REVIEW_DAY = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 11月27日: the day after the third working day


async def _approved_and_digested(harness, secretary, recorder, topic: str):
    await submitted_minutes(harness, recorder.id, topic)
    await harness.drain()
    card = await secretary.expect("会议记录待审核")
    await secretary.press("通过", message=card)
    await harness.drain()


async def test_a_returned_record_goes_back_to_the_branch_with_the_reason(harness):
    """The officer opens record 1 from the digest and returns it with a reason: the secretary and the recorder get
    the reason and /minutes; the minutes are 已退回修改 again; another 党委's officer and a member cannot answer it;
    a second 退回 says it is done. Handed in and approved again, the record is filed anew and 已审阅 closes it."""
    secretary, (recorder,) = await branch_with_members(harness, names=("李红梅",))
    await two_committees(harness, 1)
    officer, other = harness.emu.user(OFFICER, "刘"), harness.emu.user(OTHER_OFFICER, "陈")
    await _approved_and_digested(harness, secretary, recorder, "研究发展党员工作")
    digest = await officer.expect("备案汇总")
    assert "1. 第一党支部：会议记录" in digest.plain and "📋 1" in digest.labels()
    [filed] = await filing_store.in_branches(harness.svc.db, [1])
    assert filed.review_by.isoformat() == "2026-11-26"

    await officer.press("📋 1", message=digest)
    card = await officer.expect("状态：待审阅")
    assert "应于 2026年11月26日 前审阅" in card.plain and "↩️ 退回" in card.labels()
    refused = await other.press_data(card.message_id, f"fr:no:{filed.id}")
    assert "不在您的管辖范围" in refused.text
    refused = await recorder.press_data(card.message_id, f"fr:ok:{filed.id}")
    assert "管理权限" in refused.text
    await officer.press("↩️ 退回", message=card)
    await officer.expect("请发送退回的理由")
    await officer.send("缺少参会人员发言情况，请补充后重新报送")
    await officer.expect("理由已告知支部")
    shown = await officer.expect("状态：↩️ 已退回")
    assert "退回理由：缺少参会人员发言情况" in shown.plain and "✅ 已审阅" not in shown.labels()
    again = await officer.press_data(card.message_id, f"fr:ok:{filed.id}")
    assert "已经处理过了" in again.text

    await harness.drain()
    for person in (secretary, recorder):
        told = await person.expect("城关镇党委退回了报备的会议记录")
        assert "缺少参会人员发言情况" in told.plain and "/minutes" in told.plain
    [record] = await submissions.for_ref(harness.svc.db, "minutes", "meeting:2")
    assert record.status == "returned" and record.comment.startswith("缺少参会人员")

    harness.clock.set(NEXT_MORNING)
    async with harness.svc.db.write() as db:
        await review.submit(harness.svc, db, await submissions.get(db, record.id))
    await harness.drain()
    await secretary.press("通过", message=await secretary.expect("第 2 次提交"))
    await harness.drain()
    second = await officer.expect("备案汇总")
    assert "1. 第一党支部：会议记录" in second.plain
    [filed] = await filing_store.in_branches(harness.svc.db, [1])
    assert filed.review_status == "waiting" and filed.review_by.isoformat() == "2026-11-27"
    await officer.press("📋 1", message=second)
    await officer.press("✅ 已审阅", message=await officer.expect("状态：待审阅"))
    await officer.expect("状态：✅ 已审阅（刘志强")
    await secretary.send("/audit")
    log = await secretary.expect("操作记录")
    assert "城关镇党委管理员刘志强：上级审阅备案" in log.plain and "上级退回备案" in log.plain


async def test_status_in_overview_and_register_and_the_overdue_reminder(harness):
    """Two records: one returned, one left waiting. /overview counts them and the branch card gives the reason;
    `/export filings 2026` lists both with their status; past the review day the officer is reminded once,
    naming the waiting record only; the next day brings no second reminder."""
    secretary, (recorder,) = await branch_with_members(harness, names=("李红梅",))
    await two_committees(harness, 1)
    officer = harness.emu.user(OFFICER, "刘")
    await _approved_and_digested(harness, secretary, recorder, "研究发展党员工作")
    await submitted_minutes(harness, recorder.id, "学习全会精神", start=datetime(2026, 11, 21, 6, 0, tzinfo=UTC))
    await harness.drain()
    await secretary.press("通过", message=await secretary.expect("学习全会精神"))
    harness.clock.set(NEXT_MORNING)
    await harness.drain()
    first, second = await filing_store.in_branches(harness.svc.db, [1])
    await officer.send("/filed")
    listing = await officer.expect("待审阅的备案")
    assert "（2 份）" in listing.plain
    await officer.press_data(listing.message_id, f"fr:no:{first.id}")
    await officer.expect("请发送退回的理由")
    await officer.send("主题与会议内容不符")
    await officer.expect("理由已告知支部")

    await officer.send("/overview")
    page = await officer.expect("支部总览")
    assert "备案：待审阅 1 份，已退回 1 份" in page.plain
    await officer.press("第一党支部", message=page)
    branch_card = await officer.expect("备案审阅：")
    assert "已审阅 0 · 待审阅 1 · 已退回 1" in branch_card.plain and "主题与会议内容不符" in branch_card.plain

    before = len(await documents(officer, 0))  # the digests' DOCX records
    await officer.send("/export filings 2026")
    sent = (await documents(officer, before + 1))[-1]
    assert sent.file_name == "城关镇党委_备案审阅登记_2026.xlsx"
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent.file_id).content))["备案审阅"]
    rows = {r[3]: r for r in data_rows(sheet)}
    assert {r[0] for r in rows.values()} == {"第一党支部"}
    assert [r[5] for r in rows.values()] == ["已退回", "待审阅"] and rows[first.title][8] == "主题与会议内容不符"

    harness.clock.set(PAST_REVIEW_DAY)
    await harness.drain()
    reminder = await officer.expect("备案已过审阅期限")
    assert "学习全会精神" in reminder.plain and "研究发展党员工作" not in reminder.plain
    harness.clock.set(PAST_REVIEW_DAY.replace(day=28))
    await harness.drain()
    await harness.emu.idle()
    assert len([m for m in officer.messages() if "已过审阅期限" in m.plain]) == 1
