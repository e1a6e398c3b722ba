"""学习测试 over the emulator's real quiz polls: the secretary uploads a question bank (bad rows previewed by number,
nothing stored before 确认), starts the quarter's test; a member answers poll after poll and gets their score and
the explanations; an answer after the deadline is ignored; the secretary sees completion and the average only."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from bot.services import units
from storage import quiz
from tests.e2e.helpers import branch_with_members

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bank_file() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["学习测试题库"])
    sheet.append(["题目", "选项A", "选项B", "选项C", "答案", "解析"])
    sheet.append(["党的最高理想和最终目标是什么？", "实现共产主义", "全面小康", "乡村振兴", "A", "党章总纲。"])
    sheet.append(["只有两个选项却答 C 的题", "对", "错", None, "C", ""])  # row 4: the answer is no option
    sheet.append(["党支部党员大会一般每季度召开几次？", "1次", "2次", "3次", "A", "每季度召开一次。"])
    sheet.append([None, "甲", "乙", None, "A", ""])  # row 6: no question
    sheet.append(["“三会一课”中的“一课”指什么？", "党课", "团课", "网课", "A", "按时上好党课。"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def answer(person, text: str, right: bool) -> None:
    poll_message = await person.expect(text)
    poll = person.poll_of(poll_message)
    correct = poll["correct_option_ids"][0]
    await person.answer_poll(poll_message, correct if right else (correct + 1) % len(poll["options"]))


async def test_quiz_bank_then_quarterly_test_over_polls(harness):
    """Bank previewed with rows 4 and 6 bad and stored only on 确认; the test sends a member's three questions one
    after the other as quiz polls; their score and explanations are theirs; an answer after the deadline is ignored;
    the secretary sees 1 of 4 finished and the average, no names ranked."""
    secretary, (a, b, _c) = await branch_with_members(harness)
    await secretary.send("/quiz")
    await secretary.press("📤 上传题库", message=await secretary.expect("学习测试"))
    await secretary.expect("请发送 Excel")
    await secretary.send_document(bank_file(), "题库.xlsx", XLSX)
    preview = await secretary.expect("题库预览")
    assert "可导入的题目：3 道" in preview.plain and "第 4 行" in preview.plain and "第 6 行：没有题目" in preview.plain
    assert await quiz.newest_bank(harness.svc.db, branch_id=1) is None  # nothing stored before 确认
    await secretary.press("✅ 确认导入题库", message=preview)
    await secretary.expect("题库已保存")
    assert (await quiz.newest_bank(harness.svc.db, branch_id=1))[1] == 3

    await secretary.send("/quiz")
    await secretary.press("📝 开始本季度测试", message=await secretary.expect("学习测试"))
    await secretary.expect("每人题数")
    await secretary.send("三道题")
    await secretary.expect("没看懂")
    await secretary.send("3 12-31")
    assert "4 位党员" in (await secretary.expect("已开始")).plain
    await harness.drain()
    await a.expect("2026年第四季度学习测试")
    for seq in (1, 2, 3):
        await answer(a, f"（{seq}/3）", right=seq != 2)
    done = await a.expect("已完成")
    assert "答对 2 / 3 题" in done.plain
    await a.press("📖 我的答题与解析", message=done)
    mine = await a.expect("我的答题")
    assert "党章总纲" in mine.plain and "❌" in mine.plain

    harness.clock.set(harness.clock.now() + timedelta(days=60))  # past 12-31
    await answer(b, "（1/3）", right=True)
    await secretary.send("/quiz")  # the answer came after the deadline: no second question, nothing recorded
    overview = await secretary.expect("完成情况")
    await harness.drain()
    assert [i.chosen for i in await quiz.items(harness.svc.db, 1, 3)] == [None, None, None]
    assert "1 / 4 人完成" in overview.plain and "平均正确率 67%" in overview.plain
    assert not any("（2/3）" in m.plain for m in b.messages())
    assert "赵建国" not in overview.plain and "李红梅" not in overview.plain


async def test_an_officers_bank_file_is_read_as_a_bank_not_a_roster(harness):
    """An officer's .xlsx goes to the roster import, except while 上传题库 waits for the bank's file."""
    town = await units.create_unit(harness.svc, "城关镇党委", None, "党委")
    await units.add_officer(harness.svc, town.id, 7001, "刘委员")
    officer = harness.emu.user(7001, "刘")
    await officer.send("/quiz")
    await officer.press("📤 上传题库", message=await officer.expect("学习测试"))
    await officer.expect("城关镇党委")
    await officer.send_document(bank_file(), "题库.xlsx", XLSX)
    assert "可导入的题目：3 道" in (await officer.expect("题库预览")).plain
