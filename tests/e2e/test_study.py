"""专题学习 on the emulator: a town's policy asks it weekly; the secretary schedules one (a time under an hour is
refused and nothing kept), members check in, an absentee gets a 补学 task, those present are invited to write a
学习心得 that only they read while the tally names who handed one in; /compliance and the officer's /overview report
the missing week, the approvers are warned on the Thursday of a week with none scheduled, and the evaluation
register counts each member's sessions and notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import BytesIO

import openpyxl
from docx import Document

from bot.domain.meetings import MeetingKind
from bot.services import evaluation, membership, units
from storage import branches, conversations, meetings, study_notes
from storage import units as unit_store
from tests.e2e.helpers import SECRETARY_ID, branch_with_members, column_of, data_rows, documents, join

OFFICER = 7001
CHECKIN_OPEN = datetime(2026, 11, 26, 6, 5, tzinfo=UTC)  # 11月26日 14:05 in Shanghai: check-in open
AFTER_END = datetime(2026, 11, 26, 8, 5, tzinfo=UTC)  # 16:05, the 专题学习 (14:30–16:00) is over
NEXT_THURSDAY = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # 10:00 on the Thursday of the week 11月30日–12月6日
NOTE = "学习全会精神，要把学习成果转化为为群众办实事的具体行动。"


async def _town_branch(harness):
    """城关镇党委 (officer 7001) over 第一党支部 (made 300 days ago), with 李红梅, 赵建国, 孙丽; (secretary, people)."""
    today = harness.clock.now()
    harness.clock.set(today - timedelta(days=300))
    _, _, invitation = await membership.create_branch(harness.svc, "第一党支部", SECRETARY_ID, "王书记")
    harness.clock.set(today)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/start")
    await secretary.expect("您好")
    people = []
    for offset, name in enumerate(("李红梅", "赵建国", "孙丽")):
        person = harness.emu.user(2001 + offset, name)
        await join(harness, person, name, invitation.code)
        people.append(person)
    town = await units.create_unit(harness.svc, "城关镇党委", None, "党委")
    await units.add_officer(harness.svc, town.id, OFFICER, "刘志强")
    branch = (await branches.every(harness.svc.db))[0]
    async with harness.svc.db.write() as db:
        await unit_store.place_branch(db, branch.id, town.id)
    return secretary, people


async def _weekly_policy(officer) -> None:
    """The town asks 专题学习 每周 1 次 in /policy, with two taps."""
    await officer.send("/policy")
    card = await officer.expect("城关镇党委 · 组织生活规定")
    assert "专题学习：不要求（县委组织部·默认）" in card.plain
    await officer.press("专题学习：不要求", message=card)
    options = await officer.expect("城关镇党委 · 专题学习")
    assert {"每周 1 次", "每两周 1 次"} <= set(options.labels())
    await officer.press("每周 1 次", message=options)
    assert "专题学习：每周 1 次（城关镇党委）" in (await officer.expect("组织生活规定")).plain


async def _schedule(harness, secretary) -> int:
    """/meeting → 专题学习: 30 minutes refused (the form still asks the time), then 14:30–16:00 is published."""
    await secretary.send("/meeting")
    await secretary.press("专题学习", message=await secretary.expect("请选择会议类型"))
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("11月26日 14:30-15:00")
    refused = await secretary.expect("不少于 60 分钟")
    assert "没有保存" in refused.plain
    kept = await conversations.get(harness.svc.db, SECRETARY_ID)
    assert kept.step == "when" and "when" not in kept.data
    await secretary.send("11月26日 14:30-16:00")
    await secretary.expect("请发送会议地点")
    await secretary.send("党员活动室")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习党的二十届四中全会精神")
    await secretary.press("王书记", message=await secretary.expect("请选择主持人"))
    await secretary.press("李红梅", message=await secretary.expect("请选择记录人"))
    preview = await secretary.expect("会议安排预览")
    assert "类型：专题学习" in preview.plain and "参加：全体党员（4 人）" in preview.plain
    await secretary.press("📤 发布", message=preview)
    await secretary.expect("已发布")
    found = await meetings.in_branch(harness.svc.db, (await branches.every(harness.svc.db))[0].id,
                                     kind=MeetingKind.STUDY)
    assert len(found) == 1 and found[0].ends_at - found[0].starts_at == timedelta(minutes=90)
    return found[0].id


async def test_a_weekly_study_is_held_noted_reported_and_counted(harness):
    """Weekly 专题学习 by the town's policy: scheduled, checked in by two, 补学 for the third, one 学习心得 kept for
    its author alone; /compliance shows the week held and the week before missing; /overview shows ❌; the next
    Thursday warns of the unscheduled week; the register reads 参加 1/1 次，学习心得 1 篇."""
    secretary, (a, b, c) = await _town_branch(harness)
    officer = harness.emu.user(OFFICER, "刘志强")
    await _weekly_policy(officer)
    meeting_id = await _schedule(harness, secretary)
    await harness.drain()
    assert "专题学习" in (await a.expect("学习党的二十届四中全会精神")).plain

    harness.clock.set(CHECKIN_OPEN)
    await harness.drain()
    await a.press("✅ 签到", message=await a.expect("现在可以签到"))
    await b.press("✅ 签到", message=await b.expect("现在可以签到"))
    harness.clock.set(AFTER_END)
    await harness.drain()
    invite = await a.expect("写几句学习心得")
    await b.expect("写几句学习心得")
    await c.expect("补课")
    await secretary.expect("专题学习签到汇总")  # the close's tally, before any note
    assert not [t for t in c.texts() if "写几句学习心得" in t]

    await a.press("📝 写学习心得（选填）", message=invite)
    await a.expect("请直接发送您的学习心得")
    await a.send("心" * 501)
    await a.expect("最多 500 个字")
    assert not await study_notes.authors(harness.svc.db, meeting_id)
    await a.send(NOTE)
    assert "学习心得已保存" in (await a.expect("学习心得已保存")).plain
    forged = await c.press_data(invite.message_id, f"sn:w:{meeting_id}")
    assert "没有签到" in forged.text
    assert len(await study_notes.authors(harness.svc.db, meeting_id)) == 1

    await secretary.send("/attendance 11月")
    tally = await secretary.expect("专题学习签到汇总")
    assert "学习心得：已交 1 人（李红梅）" in tally.plain and NOTE not in tally.plain
    await a.press("📝 写学习心得（选填）", message=invite)
    assert NOTE in (await a.expect("您已写过")).plain  # kept for the member's own record
    await a.send("/me")
    assert "专题学习（11月26日（星期四）14:30–16:00）：已签到，已交学习心得" in (await a.expect("组织生活记录")).plain

    await secretary.send("/compliance 2026Q4")
    report = await secretary.expect("三会一课完成情况")
    assert "专题学习（每周至少 1 次）" in report.plain
    lines = {line.split("：", 1)[0]: line for line in report.plain.splitlines() if line.startswith("· 2026年第")}
    assert "已召开 1 次" in lines["· 2026年第48周（11月23日—11月29日）"]
    assert "❌ 未召开" in lines["· 2026年第47周（11月16日—11月22日）"]

    await officer.send("/overview")
    page = await officer.expect("支部总览")
    await officer.press(next(label for label in page.labels() if "第一党支部" in label), message=page)
    card = await officer.expect("三会一课（本季度）")
    study = next(line for line in card.plain.splitlines() if line.startswith("· 专题学习"))
    assert "每周 1 次，城关镇党委" in study and "❌" in study

    harness.clock.set(NEXT_THURSDAY)
    await harness.drain()
    warned = await secretary.expect("2026年第49周")
    assert "专题学习还没有安排" in warned.plain and "安排专题学习" in " ".join(warned.labels())

    await evaluation.open_campaign(harness.svc, SECRETARY_ID, 14)
    await secretary.send("/export evaluation 2026")
    sent = await documents(secretary, 1)
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[0].file_id).content)).active
    rows, at = {r[1]: r for r in data_rows(sheet)}, column_of(sheet, "专题学习\n（本年度）")
    assert rows["李红梅"][at] == "参加 1/1 次，学习心得 1 篇"
    assert rows["赵建国"][at] == "参加 1/1 次"
    assert rows["孙丽"][at] == "参加 0/1 次"


async def test_a_study_has_its_minutes_and_its_make_up_like_any_meeting(harness):
    """Without any policy asking it: the recorder writes the 专题学习's minutes, approved into the 专题学习记录本; the
    absentee's 补学 is handed in and approved, after which she may write a 学习心得 too; the register counts it."""
    secretary, (a, b, c) = await branch_with_members(harness)
    meeting_id = await _schedule(harness, secretary)
    harness.clock.set(CHECKIN_OPEN)
    await harness.drain()
    await a.press("✅ 签到", message=await a.expect("现在可以签到"))
    await b.press("✅ 签到", message=await b.expect("现在可以签到"))
    harness.clock.set(AFTER_END)
    await harness.drain()

    await c.press("📝 提交补课材料", message=await c.expect("补课通知"))
    await c.send("自学了全会公报，写了读书笔记。")
    await c.expect("已保存")
    await c.press("📤 提交")
    await c.expect("补课材料已提交")
    await harness.drain()
    await secretary.press("✅ 通过", message=await secretary.expect("补课材料待审核"))
    await harness.drain()
    asked = await c.press_data((await c.expect("审核通过")).message_id, f"sn:w:{meeting_id}")
    assert "没有签到" not in (asked.text or "")
    await c.expect("请直接发送您的学习心得")
    await c.send("补学之后更理解了全会的部署。")
    await c.expect("学习心得已保存")

    await a.send("/minutes")
    await a.press("专题学习 11-26", message=await a.expect("请选择会议"))
    await a.press("✅ 信息无误，继续", message=await a.expect("自动填好"))
    for text in ("学习全会公报", "王书记领学，大家交流了体会。", "每人结合岗位写一条落实措施。"):
        await a.expect("请发送")
        await a.send(text)
        await a.press("▶️ 下一项", message=await a.expect("已保存"))
    await a.press("跳过，不附照片", message=await a.expect("会议记录 · 照片"))
    await a.expect("会议记录预览")
    await a.press("📤 提交审核")
    await harness.drain()
    await secretary.press("✅ 通过", message=await secretary.expect("会议记录待审核"))
    await harness.drain()

    await secretary.send("/export minutes_study 2026Q4")
    document = await secretary.expect("专题学习记录本")
    book = Document(BytesIO(harness.emu.file(document.file_id).content))
    text = "\n".join(p.text for p in book.paragraphs) + "\n".join(
        cell.text for table in book.tables for row in table.rows for cell in row.cells)
    assert "王书记领学，大家交流了体会。" in text and "学习党的二十届四中全会精神" in text

    await evaluation.open_campaign(harness.svc, SECRETARY_ID, 14)
    await secretary.send("/export evaluation 2026")
    sent = await documents(secretary, 2)  # the 专题学习记录本, then the register
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[1].file_id).content)).active
    rows, at = {r[1]: r for r in data_rows(sheet)}, column_of(sheet, "专题学习\n（本年度）")
    assert rows["孙丽"][at] == "参加 0/1 次，补学 1 次，学习心得 1 篇"
