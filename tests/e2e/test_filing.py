"""Filing goes up, end to end: approved minutes reach the parent unit's officer in their daily filing digest with
the record as a DOCX (and no officer of another unit); a 不合格 result opens a follow-up the officer sees, the
secretary is reminded before its deadline and 销号 needs the officer's confirmation; an officer of one 党委 gets
only its branches in the unit Excel; /audit shows the secretary's decisions in Chinese and refuses a member."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import docx
import openpyxl

from bot.services import evaluation, membership
from bot.services import evaluation_results as results
from storage import filing as filing_store
from storage import members
from storage import units as unit_store
from tests.e2e.helpers import (
    OFFICER,
    OTHER_OFFICER,
    branch_with_members,
    data_rows,
    documents,
    submitted_minutes,
    two_committees,
)
from tests.support import ADMIN_ID, SECRETARY_ID


async def test_approved_minutes_reach_the_parent_units_officer_in_the_filing_digest(harness):
    """通过 on the minutes → the next drain composes 城关镇党委's filing digest: its officer gets the record as a DOCX
    and a line saying when it arrived and by when to review it (3 working days); 河西镇党委's officer and the
    county's admins get nothing, and a second drain the same day sends no second digest."""
    secretary, (recorder,) = await branch_with_members(harness, names=("李红梅",))
    branch_id = (await members.by_telegram_id(harness.svc.db, SECRETARY_ID)).branch_id
    await two_committees(harness, branch_id)
    officer, other = harness.emu.user(OFFICER, "刘"), harness.emu.user(OTHER_OFFICER, "陈")
    admin = harness.emu.user(ADMIN_ID, "组织部")
    await submitted_minutes(harness, recorder.id, "研究发展党员工作")
    await harness.drain()
    card = await secretary.expect("会议记录")
    await secretary.press("通过", message=card)
    await harness.drain()
    await harness.emu.idle()

    digest = await officer.expect("城关镇党委 · 备案汇总")
    assert "第一党支部：会议记录" in digest.plain and "研究发展党员工作" in digest.plain
    assert "到达 11月23日 10:00" in digest.plain and "请于 2026年11月26日 前审阅" in digest.plain
    files = [m for m in officer.messages() if m.kind == "document"]
    assert len(files) == 1 and files[0].file_name.endswith(".docx")
    text = "\n".join(p.text for p in docx.Document(BytesIO(harness.emu.file(files[0].file_id).content)).paragraphs)
    assert "讨论了入党积极分子的培养" in text and "第一党支部" in text
    assert other.messages() == [] and admin.messages() == []

    await harness.drain()
    await harness.emu.idle()
    assert len([m for m in officer.messages() if "备案汇总" in m.plain]) == 1


async def test_unqualified_result_opens_a_followup_tracked_up_to_the_officers_confirmation(harness):
    """Closing with 赵建国 不合格: the register is filed, the secretary picks 限期改正 (3 months), /followups shows it
    to the officer; 14 days before the deadline the secretary is reminded; once overdue the officer's digest lists it;
    销号 with a line waits for the officer — a member's or another 党委's officer's press is refused — and 确认销号
    closes it and tells the secretary."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    svc = harness.svc
    branch_id = (await members.by_telegram_id(svc.db, SECRETARY_ID)).branch_id
    await two_committees(harness, branch_id)
    officer, other = harness.emu.user(OFFICER, "刘"), harness.emu.user(OTHER_OFFICER, "陈")
    campaign = await evaluation.open_campaign(svc, SECRETARY_ID, 14)
    grades = {SECRETARY_ID: "qualified", a.id: "excellent", b.id: "unqualified"}
    for telegram_id, grade in grades.items():
        member = await members.by_telegram_id(svc.db, telegram_id)
        grader = OFFICER if telegram_id == SECRETARY_ID else SECRETARY_ID  # nobody sets their own grade
        await results.set_final_grade(svc, grader, campaign.id, member.id, grade)
    zhao = await members.by_telegram_id(svc.db, b.id)
    await results.save_remark(svc, SECRETARY_ID, {"campaign_id": campaign.id, "member_id": zhao.id}, "长期不参加组织生活")
    await results.close(svc, SECRETARY_ID, campaign.id)
    await harness.drain()

    opened = await secretary.expect("不合格党员处置")
    assert "赵建国" in opened.plain
    digest = await officer.expect("备案汇总")
    assert "民主评议结果" in digest.plain
    answer = await secretary.press("限期改正", message=opened)
    assert "限期改正" in answer.text
    card = await secretary.expect("期限：2027年2月23日")
    assert "申请销号" in card.labels()[-1] or "✅ 申请销号" in card.labels()

    await officer.send("/followups")
    listed = await officer.expect("不合格党员处置跟踪")
    assert "第一党支部 · 赵建国：限期改正，期限 2027年2月23日 — 进行中" in listed.plain
    await other.send("/followups")
    assert "只对支部书记和上级党组织的管理员开放" in (await other.expect("抱歉")).plain
    await a.send("/followups")
    await a.expect("只对支部书记")

    harness.clock.set(datetime(2027, 2, 9, 1, 5, tzinfo=UTC))  # 09:05 on 2月9日, 14 days before 2月23日
    await harness.drain()
    reminder = await secretary.expect("将于 2027年2月23日 到期（还有 14 天）")
    harness.clock.set(datetime(2027, 2, 25, 1, 0, tzinfo=UTC))  # 09:00, two days past the deadline
    await harness.drain()
    overdue = await officer.expect("逾期未销号")
    assert "第一党支部 · 赵建国：限期改正，期限 2027年2月23日（已逾期 1 天）" in overdue.plain

    await secretary.press("✅ 申请销号", message=reminder)
    await secretary.expect("请用一句话写明")
    await secretary.send("已谈心谈话三次，本人已按时参加组织生活并作出书面检讨。")
    asked = await secretary.expect("已提交销号申请")
    assert "1 位管理员" in asked.plain
    followup = (await filing_store.followups_of(svc.db, [branch_id]))[0]
    assert followup.status.value == "closing"
    await harness.drain()
    request = await officer.expect("处置销号申请")
    assert "书面检讨" in request.plain
    refused = await other.press_data(request.message_id, f"fu:ok:{followup.id}")
    assert "只有该党支部上级党组织的管理员" in refused.text
    refused = await a.press_data(request.message_id, f"fu:ok:{followup.id}")
    assert "只有该党支部上级党组织的管理员" in refused.text
    assert (await filing_store.get_followup(svc.db, followup.id)).status.value == "closing"

    await officer.press("✅ 确认销号", message=request)
    await officer.expect("状态：已销号")
    await harness.drain()
    await secretary.expect("上级党组织已确认 赵建国 的处置销号")
    again = await officer.press_data(request.message_id, f"fu:ok:{followup.id}")
    assert "已经处理过了" in again.text


async def test_unit_excel_holds_only_the_officers_committee_branches(harness):
    """Two branches under 城关镇党委 and one under 河西镇党委: 7001's /export attendance 2026 and /export audit 2026
    list only 城关镇党委's branches; 河西镇党委's id given by 7001 is refused; `zhibu export --unit` gives the same."""
    await branch_with_members(harness, names=("李红梅",))
    svc = harness.svc
    first, second = await two_committees(harness, 1)
    branch_2, _, _ = await membership.create_branch(svc, "第二党支部", 1002, "张书记")
    branch_3, _, _ = await membership.create_branch(svc, "河西党支部", 1003, "黄书记")
    async with svc.db.write() as db:
        await unit_store.place_branch(db, branch_2.id, first)
        await unit_store.place_branch(db, branch_3.id, second)
    officer = harness.emu.user(OFFICER, "刘")
    await officer.send("/export attendance 2026")
    await officer.send("/export audit 2026")
    files = sorted(await documents(officer, 2), key=lambda f: "操作记录" in f.file_name)
    assert [f.file_name for f in files] == ["城关镇党委_考勤汇总_2026.xlsx", "城关镇党委_操作记录_2026.xlsx"]
    book = openpyxl.load_workbook(BytesIO(harness.emu.file(files[0].file_id).content))
    assert book.sheetnames == ["考勤汇总", "活动一览"]
    rows = data_rows(book["考勤汇总"])
    assert {r[0] for r in rows} == {"第一党支部", "第二党支部"} and ("第一党支部", "李红梅") in {r[:2] for r in rows}
    audit_sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(files[1].file_id).content))["操作记录"]
    audited = data_rows(audit_sheet)
    assert ("第一党支部", "王书记", "批准入支部申请", "李红梅") in {(r[0], *r[2:5]) for r in audited}
    assert not [r for r in audited if r[0] == "河西党支部"]

    await officer.send(f"/export evaluation 2026 {second}")
    await officer.expect("不在您的管辖范围内")

    done = await harness.cli("export", "attendance", "--unit", str(first), "--period", "2026")
    assert done.returncode == 0, done.stderr
    written = harness.settings.db.parent / "城关镇党委_考勤汇总_2026.xlsx"
    assert written.stat().st_mode & 0o777 == 0o600  # names and attendance: the owner's eyes only
    cli_rows = data_rows(openpyxl.load_workbook(written)["考勤汇总"])
    assert {r[0] for r in cli_rows} == {"第一党支部", "第二党支部"}


async def test_audit_shows_decisions_in_chinese_and_refuses_a_member(harness):
    """The secretary's /audit lists who did what to whom, newest first, in Chinese with no action code; a member is
    refused; the officer above sees the branch's entries with its name."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await two_committees(harness, 1)
    await secretary.send("/audit")
    page = await secretary.expect("操作记录")
    lines = page.plain.splitlines()
    assert "王书记：批准入支部申请（赵建国）" in page.plain and "王书记：批准入支部申请（李红梅）" in page.plain
    assert lines.index("王书记：批准入支部申请（赵建国）") < lines.index("王书记：批准入支部申请（李红梅）")
    assert "赵建国：申请加入支部（赵建国）" in page.plain
    assert "member." not in page.plain and "approve" not in page.plain
    await a.send("/audit")
    refused = await a.expect("抱歉")
    assert "只对支部书记" in refused.plain
    officer = harness.emu.user(OFFICER, "刘")
    await officer.send("/audit")
    seen = await officer.expect("操作记录")
    assert "第一党支部" in seen.plain and "批准入支部申请（李红梅）" in seen.plain
