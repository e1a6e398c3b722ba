"""谈心谈话 and 思想汇报 end to end: /talk in two taps and a line, the digest's list before the evaluation, the talk
register; a 预备党员's quarterly reminder with its button, a report in several messages and a photo, its review,
the overdue list in the digest, the register and the Word book."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import docx
import openpyxl

from bot.domain.roles import Role
from bot.emulator.control import sample_photo
from storage import members
from tests.e2e.helpers import branch_with_members, data_rows, documents, header_row


async def test_talk_recorded_in_two_taps_and_a_line_then_digest_and_register(harness):
    """The secretary picks a member and sends "11月20日，…": the talk is kept with that date; a plain member may not
    record talks; the next morning's digest (evaluation season) names those nobody talked with; the register
    exports it."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await secretary.send("/talk")
    await secretary.expect("请选择谈话对象")
    await secretary.press("李红梅")
    await secretary.expect("请发一行")
    await secretary.send("11月20日，工作和思想情况")
    done = await secretary.expect("已记录")
    assert "11月20日 与 李红梅" in done.plain and "工作和思想情况" in done.plain
    await secretary.send("/talk")
    listed = await secretary.expect("请选择谈话对象")
    labels = [b.label for row in listed.buttons for b in row]
    assert labels == ["赵建国", "李红梅（已谈 1 次）"]

    await secretary.press("赵建国", message=listed)
    await secretary.expect("请发一行")
    await secretary.send("12月30日，下个月的事")
    refused = await secretary.expect("不能晚于今天")
    assert "不能晚于今天" in refused.plain
    await secretary.send("12月40日，工作情况")  # no such day: refused, never stored as today's talk about "12月40日"
    refused = await secretary.expect("没有这一天")
    assert "请核对月份和日期" in refused.plain

    await a.send("/talk")
    assert "权限" in (await a.expect("权限")).plain

    harness.clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # 09:00 the next day: the digest's time
    await harness.drain()
    digest = await secretary.expect("谈心谈话")
    line = next(x for x in digest.plain.splitlines() if "尚未谈心谈话" in x)
    assert "赵建国" in line and "王书记" in line and "李红梅" not in line

    await secretary.send("/export talks 2026")
    sent = await documents(secretary, 1)
    assert [d.file_name for d in sent] == ["第一党支部_谈心谈话记录_2026.xlsx"]
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[0].file_id).content)).active
    assert data_rows(sheet) == [(1, datetime(2026, 11, 20), "李红梅", "王书记", "工作和思想情况")]


async def test_probationary_member_reminded_reports_in_pieces_reviewed_overdue_and_filed(harness):
    """A 预备党员 gets the quarter's reminder with the /report button, sends text twice and a photo, submits; the
    secretary approves it; a quarter later with no report the digest names her; the register and the book list it."""
    secretary, (a, b) = await branch_with_members(harness, names=("孙丽", "赵建国"))
    async with harness.svc.db.write() as db:
        await members.add_role(db, (await members.by_telegram_id(db, a.id)).id, Role.PROBATIONARY)

    harness.clock.set(datetime(2026, 12, 18, 2, 0, tzinfo=UTC))  # two weeks before the quarter ends, 10:00
    await harness.drain()
    reminder = await a.expect("思想汇报提醒")
    assert "2026年10–12月" in reminder.plain
    assert not [t for t in b.texts() if "思想汇报提醒" in t]  # a full member is not asked

    await a.press("写思想汇报", message=reminder)
    await a.expect("请发送您的思想汇报")
    await a.send("这个季度我认真学习了党章。")
    await a.expect("已收到")
    await a.send("工作中还要更加主动。")
    await a.expect("已收到")
    await a.send_photo(sample_photo(), caption="手写稿第一页")
    kept = await a.expect("照片 1 张")
    assert "已收到" in kept.plain
    answer = await a.press("提交", message=kept)
    assert "已提交" in answer.text
    await harness.drain()
    card = await secretary.expect("思想汇报待审核")
    assert "认真学习了党章" in card.plain and "更加主动" in card.plain and "附图 1 张" in card.plain
    await secretary.press("通过", message=card)
    await harness.drain()
    await a.expect("审核通过")
    await a.send("/report")
    again = await a.expect("思想汇报")
    assert "已提交思想汇报 1 份，最近一份：12月18日" in again.plain

    harness.clock.set(datetime(2027, 4, 2, 1, 0, tzinfo=UTC))  # a quarter (Jan–Mar) passed without a report
    await harness.drain()
    digest = await secretary.expect("思想汇报逾期")
    assert "上一期未交思想汇报的预备党员：孙丽" in digest.plain

    await secretary.send("/export reports 2026")
    await secretary.send("/export reportbook 2026")
    sent = sorted(await documents(secretary, 2), key=lambda d: d.file_name.endswith(".docx"))
    assert [d.file_name for d in sent] == ["第一党支部_思想汇报登记_2026.xlsx", "第一党支部_党员思想汇报汇编_2026.docx"]
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[0].file_id).content)).active
    assert data_rows(sheet) == [(1, "孙丽", datetime(2026, 12, 18), "已通过", 31, 1)]  # the caption is part of the text
    book = docx.Document(BytesIO(harness.emu.file(sent[1].file_id).content))
    text = "\n".join(p.text for p in book.paragraphs)
    assert "认真学习了党章" in text and "2026年12月18日" in text and "照片" not in text  # placed, not mentioned
    assert len(book.inline_shapes) == 1 and round(book.inline_shapes[0].width.cm) == 12  # the handwritten page


async def test_selfeval_carries_party_spirit_analysis_when_due_and_approval_records_it(harness):
    """Five years after a member's records began, the self-evaluation asks a sixth section, 党性分析; approving it
    records the date, which the evaluation register shows."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    harness.clock.set(datetime(2031, 11, 24, 2, 0, tzinfo=UTC))
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await a.press("写自评")
    await a.expect("第 1/6 部分")
    for index in range(1, 6):
        await a.send(f"第{index}部分的内容。")
        await a.expect("已保存")
        await a.press("下一部分")
        await a.expect(f"第 {index + 1}/6 部分")
    asked = a.last
    assert "党性分析" in asked.plain
    await a.send("对照党章，理想信念坚定，组织纪律观念还需加强。")
    await a.expect("已保存")
    await a.press("完成")
    await a.expect("请选择您的自评等次")
    await a.press("合格")
    preview = await a.expect("个人自评预览")
    assert "组织纪律观念还需加强" in preview.plain
    await a.emu.idle()
    await a.press("提交审核")
    await harness.drain()
    card = await secretary.expect("个人自评待审核")
    assert "党性分析" in card.plain and "组织纪律观念" in card.plain
    await secretary.press("通过", message=card)
    await harness.drain()
    await a.expect("审核通过")

    before = len([m for m in secretary.messages() if m.kind == "document"])
    await secretary.send("/export evaluation 2031")
    sent = await documents(secretary, before + 1)
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(sent[-1].file_id).content)).active
    assert [c.value for c in sheet[header_row(sheet)]][10] == "上次\n党性分析"
    rows = {r[1]: r for r in data_rows(sheet)}
    assert rows["李红梅"][10] == datetime(2031, 11, 24) and rows["王书记"][10] is None


async def test_absentee_of_life_meeting_writes_a_statement_and_gets_the_criticism_addressed_to_them(harness):
    """An absentee of a 组织生活会 is asked for a written statement (书面发言), reviewed like any make-up; the record's
    批评意见 "姓名：意见" lines reach the absentee named once the record is approved, and nobody who was there."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("组织生活会")
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("12月10日 14:30-16:30")
    await secretary.expect("请发送会议地点")
    await secretary.send("村委会会议室")
    await secretary.expect("请发送会议主题")
    await secretary.send("对照检查，开展批评与自我批评")
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press("李红梅")
    await secretary.expect("会议安排预览")
    await secretary.press("📤 发布")
    await secretary.expect("组织生活会已发布")
    harness.clock.set(datetime(2026, 12, 10, 6, 0, tzinfo=UTC))
    await harness.drain()
    await a.press("✅ 签到", message=await a.expect("组织生活会现在可以签到"))
    await secretary.press("✅ 签到", message=await secretary.expect("组织生活会现在可以签到"))
    harness.clock.set(datetime(2026, 12, 10, 8, 35, tzinfo=UTC))
    await harness.drain()

    task = await b.expect("书面发言通知")
    assert "批评" in task.plain and "📝 提交书面发言" in task.labels()
    await b.press("📝 提交书面发言", message=task)
    await b.expect("请发送您的书面发言")
    await b.send("我因出差缺席，对照检查：学习不够主动。")
    await b.expect("已保存")
    await b.press("📤 提交")
    await harness.drain()
    card = await secretary.expect("书面发言（缺席")
    assert "学习不够主动" in card.plain
    await secretary.press("通过", message=card)

    await a.send("/minutes")
    await a.expect("请选择会议")
    await a.press("组织生活会 12-10")
    await a.press("✅ 信息无误，继续", message=await a.expect("自动填好"))
    await a.expect("请发送本次会议的议题")
    await a.send("对照检查")
    await a.expect("已保存（议题")
    await a.press("▶️ 下一项")
    await a.expect("请发送会议内容")
    await a.send("每位党员作对照检查发言。")
    await a.expect("已保存（内容")
    await a.press("▶️ 下一项")
    await a.press("本次无决议", message=await a.expect("决议"))
    await a.press("跳过，不附照片", message=await a.expect("照片"))
    preview = await a.expect("会议记录预览")
    await a.press("✏️ 批评意见", message=preview)
    await a.expect("格式\"姓名：意见\"")
    await a.send("赵建国：多次缺席组织生活，要加强学习。\n李红梅：发言准备不足")
    preview = await a.expect("会议记录预览")
    assert "多次缺席组织生活" in preview.plain
    await a.emu.idle()
    await a.press("📤 提交审核")
    await harness.drain()
    record = await secretary.expect("会议记录待审核")
    assert "批评意见" in record.plain
    await secretary.press("通过", message=record)
    await harness.drain()
    told = await b.expect("组织生活会的批评意见")
    assert "多次缺席组织生活，要加强学习。" in told.plain and "发言准备不足" not in told.plain
    await harness.emu.idle()
    assert not [t for t in a.texts() if "会上对您提出的批评意见" in t]
