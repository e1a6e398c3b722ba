"""Votes and lecturers on the emulator: a 支部党员大会's recorder types each motion with its counts (应到 and 实到 of
those with a vote come from the check-ins; the 预备党员 has none), counts beyond 实到 are refused, a vote with and one
without a quorum go through review into the 支部党员大会记录本; a 党课 records its 主讲人, a 领导干部, and the
党课记录本 counts the leaders' lectures of the year."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from docx import Document

from bot.domain.roles import Role
from storage import members
from tests.e2e.helpers import branch_with_members

CHECKIN_OPENS = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)  # 12月10日 14:00 Shanghai
AFTER_END = datetime(2026, 12, 10, 8, 35, tzinfo=UTC)
LECTURE_OVER = datetime(2026, 12, 11, 8, 35, tzinfo=UTC)


async def schedule(secretary, kind: str, when: str, topic: str, lecturer: str | None = None) -> str:
    await secretary.send("/meeting")
    await secretary.press(kind, message=await secretary.expect("请选择会议类型"))
    await secretary.expect("请发送会议日期和时间")
    await secretary.send(when)
    await secretary.expect("请发送会议地点")
    await secretary.send("村委会会议室")
    await secretary.expect("请发送会议主题")
    await secretary.send(topic)
    if lecturer is not None:
        await secretary.expect("请选择主讲人")
        await secretary.press(lecturer)
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press("李红梅")
    preview = await secretary.expect("会议安排预览")
    await secretary.press("📤 发布")
    await secretary.expect("已发布")
    return preview.plain


def table_rows(book) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for table in book.tables for row in table.rows]


async def test_votes_with_and_without_quorum_reach_the_record_book(harness):
    """应到 3 (the 预备党员 孙丽 has no vote), 实到 2: counts of 3 are refused; a motion passed with a quorum and one
    voted when only 1 was left (no quorum, void) are in the approved record and the 支部党员大会记录本."""
    secretary, (a, b, c) = await branch_with_members(harness)
    async with harness.svc.db.write() as tx:
        await members.add_role(tx, (await members.by_telegram_id(tx, c.id)).id, Role.PROBATIONARY)
    await harness.drain()
    await schedule(secretary, "支部党员大会", "12月10日 14:30-16:30", "讨论孙丽转正")
    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    await a.press("✅ 签到", message=await a.expect("现在可以签到"))
    await secretary.press("✅ 签到", message=await secretary.expect("现在可以签到"))
    await c.press("✅ 签到", message=await c.expect("现在可以签到"))  # present, but without a vote
    harness.clock.set(AFTER_END)
    await harness.drain()

    await a.send("/minutes")
    await a.press("支部党员大会 12-10", message=await a.expect("请选择会议"))
    await a.press("✅ 信息无误，继续", message=await a.expect("自动填好"))
    for text in ("1. 讨论孙丽同志转正", "孙丽同志汇报了预备期表现。", "同意孙丽同志按期转正。"):
        await a.expect("请发送")
        await a.send(text)
        await a.press("▶️ 下一项", message=await a.expect("已保存"))
    ask = await a.expect("会议记录 · 表决")
    assert "有表决权的正式党员应到 3 人，实到 2 人" in ask.plain and "本次无表决" in ask.labels()
    await a.send("同意孙丽同志按期转为正式党员：赞成 3，反对 0，弃权 0")
    await a.expect("合计 3 票，超过了实到有表决权的 2 人")
    await a.send("同意孙丽同志按期转为正式党员")
    await a.expect("没能看懂这条表决")
    await a.send("同意孙丽同志按期转为正式党员：赞成 2，反对 0，弃权 0\n调整党费收缴日期：实到 1，赞成 1")
    kept = await a.expect("已记录表决 2 项")
    assert "赞成 2，反对 0，弃权 0；到会过半数；赞成过应到半数，通过" in kept.plain
    assert "调整党费收缴日期：应到 3 人，实到 1 人" in kept.plain and "不足法定人数，表决无效" in kept.plain
    await a.press("▶️ 下一项", message=kept)
    await a.press("跳过，不附照片", message=await a.expect("会议记录 · 照片"))
    preview = await a.expect("会议记录预览")
    assert "表决：" in preview.plain and "✏️ 表决" in preview.labels()
    await a.press("📤 提交审核")
    await harness.drain()
    card = await secretary.expect("会议记录待审核")
    assert "不足法定人数，表决无效" in card.plain
    await secretary.press("✅ 通过", message=card)
    await harness.drain()

    await secretary.send("/export minutes_assembly 2026Q4")
    document = await secretary.expect("支部党员大会记录本")
    rows = table_rows(Document(BytesIO(harness.emu.file(document.file_id).content)))
    assert ["表决事项", "应到", "实到", "赞成", "反对", "弃权", "到会过半", "结果"] in rows
    assert ["同意孙丽同志按期转为正式党员", "3", "2", "2", "0", "0", "是", "通过"] in rows
    assert ["调整党费收缴日期", "3", "1", "1", "0", "0", "否", "不足法定人数，无效"] in rows


async def test_a_lecture_records_its_lecturer_and_counts_a_leaders_lectures(harness):
    """The secretary gives a 党课: the preview names them 主讲人 as a 领导干部 (a tap changes that); once held, the
    党课记录本 of the year counts their lecture (1, short of the 2 a year)."""
    secretary, _ = await branch_with_members(harness)
    await harness.drain()
    preview = await schedule(secretary, "党课", "12月11日 14:30-16:30", "学习党章", lecturer="王书记")
    assert "主讲人：王书记（领导干部，计入领导干部讲党课次数）" in preview
    harness.clock.set(LECTURE_OVER)
    await harness.drain()
    await secretary.send("/export minutes_lecture 2026")
    document = await secretary.expect("党课记录本")
    book = Document(BytesIO(harness.emu.file(document.file_id).content))
    assert "领导干部讲党课情况" in "\n".join(p.text for p in book.paragraphs)
    assert ["王书记", "1", "否"] in table_rows(book)


async def test_a_lecturer_from_outside_is_typed_and_not_a_leader_unless_marked(harness):
    """A 主讲人 from outside the branch is typed by name; the preview's button marks them a 领导干部."""
    secretary, _ = await branch_with_members(harness)
    await harness.drain()
    await secretary.send("/meeting")
    await secretary.press("党课", message=await secretary.expect("请选择会议类型"))
    await secretary.send("12月11日 14:30-16:30")
    await secretary.send("党校")
    await secretary.send("学习党史")
    await secretary.expect("请选择主讲人")
    await secretary.send("县委党校" * 6)
    await secretary.expect("1 到 20 个字")
    await secretary.send("县委党校刘教授")
    await secretary.press("王书记", message=await secretary.expect("请选择主持人"))
    await secretary.press("李红梅", message=await secretary.expect("请选择记录人"))
    preview = await secretary.expect("会议安排预览")
    assert "主讲人：县委党校刘教授（非领导干部）" in preview.plain
    await secretary.press("🔁 改为：主讲人是领导干部", message=preview)
    assert "主讲人：县委党校刘教授（领导干部" in (await secretary.expect("会议安排预览")).plain
