"""三会一课 on the emulator: /meeting schedules a 支部党员大会 (attendees told, reminded, check in and ask for leave
with the theme day's buttons), the recorder's /minutes form is pre-filled from the check-ins, survives a restart and
/cancel, goes to review, is returned, fixed and approved; the DOCX record book and /compliance show it."""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from io import BytesIO

import pytest
from docx import Document

from storage import audit, members, submissions
from tests.e2e.helpers import branch_with_members
from tests.support import ENGINES

# 12月10日 14:30–16:30 Shanghai is 06:30–08:30 UTC; check-in opens 30 minutes before.
CHECKIN_OPENS = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 10, 8, 35, tzinfo=UTC)
MEETING_ID = 2  # the December theme day is meeting 1


def png(width: int = 4, height: int = 3) -> bytes:
    """A small valid PNG (a grey rectangle): what a phone photo is to python-docx."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


async def schedule_assembly(harness, secretary, recorder="李红梅"):
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("支部党员大会")
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("明天下午")
    await secretary.expect("没能看懂这个时间")
    await secretary.send("2026-11-01 14:30-16:30")
    await secretary.expect("这个时间已经过去了")
    await secretary.send("12月10日 14:30-16:30")
    await secretary.expect("请发送会议地点")
    await secretary.send_photo()
    await secretary.expect("这里需要文字：请发送地点")
    await secretary.send("村委会<会议室>")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习贯彻全会精神")
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press(recorder)
    preview = await secretary.expect("会议安排预览")
    assert "全体党员（4 人）" in preview.plain and "村委会<会议室>" in preview.plain
    assert "记录人：" + recorder in preview.plain
    await secretary.press("📤 发布")
    done = await secretary.expect("支部党员大会已发布")
    assert "已通知 3 位同志" in done.plain


@pytest.mark.parametrize("engine", ENGINES)  # the bot on each storage engine
async def test_schedule_checkin_minutes_review_round_trip(harness):
    """Schedule → notices and check-in window reminders → check-in, approved leave, an absentee → the recorder's
    minutes pre-filled (应到/实到/缺席 with the leave reason) → bad input refused → restart mid-form resumes →
    photos → preview edit → /cancel keeps the draft → submit → a member's forged approve does nothing →
    returned with a comment → fixed → approved; audit log, DOCX record book and compliance follow."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await schedule_assembly(harness, secretary)
    await harness.drain()
    notice = await a.expect("会议通知：支部党员大会")
    assert "您是本次会议的记录人" in notice.plain and "12月10日（星期四）14:30–16:30" in notice.plain
    await b.expect("会议通知")
    await c.expect("会议通知")

    await c.press("📝 请假")  # the theme day's leave, on this meeting
    await c.expect("请发送请假理由")
    await c.send("在外地出差")
    await c.expect("请假申请已提交")
    await harness.drain()
    await secretary.expect("请假申请待审核")
    await secretary.press("✅ 批准")

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    opened = await a.expect("支部党员大会现在可以签到")
    assert "签到成功" in (await a.press("✅ 签到", message=opened)).text
    await secretary.press("✅ 签到", message=await secretary.expect("支部党员大会现在可以签到"))

    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("支部党员大会签到汇总")
    assert "应到 4 人，实到 2 人" in tally.plain
    ask = await a.expect("会议已结束，请填写会议记录")
    assert "12月15日" in ask.plain and "📝 填写会议记录" in ask.labels()

    await a.send("/minutes")
    assert "（编号 2）" in (await a.expect("请选择会议")).plain
    await a.press("支部党员大会 12-10")
    header = await a.expect("以下由签到和会议安排自动填好")
    assert "应到 4 人，实到 2 人，请假 1 人，缺席 1 人" in header.plain
    assert "请假：孙丽（在外地出差）" in header.plain and "缺席：赵建国" in header.plain
    assert "主持人：王书记　记录人：李红梅" in header.plain and "村委会<会议室>" in header.plain
    assert "主题：学习贯彻全会精神" in header.plain
    await a.press("✅ 信息无误，继续")
    await a.expect("请发送本次会议的议题")
    await a.send_photo()
    await a.expect("这里需要文字：请发送议题")
    await a.send("议" * 501)
    await a.expect("议题最多 500 个字，您输入了 501 个字")
    await a.send("1. 传达学习全会精神\n2. 研究<发展党员>工作")
    await a.expect("已保存（议题")
    await a.press("▶️ 下一项")
    await a.expect("请发送会议内容及讨论情况")

    await harness.restart()
    await a.send("书记传达了全会精神，大家逐一发言。")
    await a.expect("已保存（内容")  # resumed after the restart
    await a.press("▶️ 下一项")
    await a.expect("会议记录 · 决议")
    await a.send("同意将李某某列为发展对象。")
    await a.expect("已保存（决议")
    await a.press("▶️ 下一项")
    await a.expect("会议记录 · 照片")
    await a.send("这是文字")
    await a.expect("这一步请发送照片")
    await a.send_photo(png())
    await a.expect("共 1 张")
    await a.send_photo(png(6, 4))
    await a.expect("共 2 张")
    await a.press("✅ 完成（2 张）")
    preview = await a.expect("会议记录预览")
    assert "照片：2 张" in preview.plain and "研究<发展党员>工作" in preview.plain

    await a.press("✏️ 时间")
    await a.expect("更正会议时间")
    await a.send("12月30日 14:30-16:30")
    await a.expect("这个时间还没有到")
    await a.send("12月10日 14:30-17:00")
    fixed = await a.expect("会议记录预览")
    assert "14:30–17:00" in fixed.plain

    await a.send("/cancel")
    await a.expect("已暂停")
    await a.send("/minutes")
    await a.expect("（草稿）")
    await a.press("支部党员大会 12-10")
    await a.expect("会议记录预览")  # the draft is all there
    await a.press("📤 提交审核")
    await a.expect("已提交审核")
    record = (await submissions.for_ref(harness.svc.db, "minutes", f"meeting:{MEETING_ID}"))[0]
    assert record.status == "submitted" and record.content["attendance"]["absent"] == ["赵建国"]

    await harness.drain()
    card = await secretary.expect("会议记录待审核")
    assert "请假：孙丽（在外地出差）" in card.plain and "附图 2 张" in card.plain
    await secretary.send("/pending")
    listed = await secretary.expect("会议记录")
    assert "会议记录 · 李红梅" in listed.labels()
    await secretary.press("会议记录 · 李红梅", message=listed)
    assert "研究<发展党员>工作" in (await secretary.expect("会议记录待审核")).plain  # the card again
    forged = await b.press_data(card.message_id, f"rv:ok:{record.id}:1")
    assert "权限" in forged.text
    assert (await submissions.get(harness.svc.db, record.id)).status == "submitted"

    await secretary.press("↩️ 退回修改", message=card)
    await secretary.expect("退回修改的意见")
    await secretary.send("请补充发言情况")
    await harness.drain()
    returned = await a.expect("被退回修改")
    assert "请补充发言情况" in returned.plain and "/minutes" in returned.plain
    assert returned.labels() == ["✏️ 修改并重新提交"]  # the message that asks for the fix carries it

    await a.press("✏️ 修改并重新提交", message=returned)
    again = await a.expect("会议记录预览")
    assert "修改意见：请补充发言情况" in again.plain
    before = (await submissions.get(harness.svc.db, record.id)).content
    await a.press("✏️ 内容")
    asked = await a.expect("请发送会议内容及讨论情况")
    assert asked.labels() == ["✔️ ➕ 追加", "🔄 替换", "✅ 完成"] and "现为：" in asked.plain  # 追加 unless 替换
    await a.send("书记传达了全会精神。")
    await a.expect("已保存（内容")
    await a.send("张某发言：要把学习成果转化为工作实效。")  # the second message is appended, not a new field
    await a.expect("已保存（内容")
    content = (await submissions.get(harness.svc.db, record.id)).content["content"]
    assert content.startswith(before["content"]) and content.endswith("张某发言：要把学习成果转化为工作实效。")
    await a.press("✅ 完成")
    await a.expect("会议记录预览")
    await a.press("✏️ 决议")
    await a.expect("请发送会议形成的决议")
    await a.press("🔄 替换")
    chosen = await a.expect("已选“替换”")
    assert chosen.labels() == ["➕ 追加", "✔️ 🔄 替换", "✅ 完成"]
    await a.send("会议决定：各党小组每月组织一次集中学习。")
    await a.expect("已保存（决议")
    assert (await submissions.get(harness.svc.db, record.id)).content["resolutions"] == "会议决定：各党小组每月组织一次集中学习。"
    await a.press("✅ 完成")
    await a.expect("会议记录预览")
    await a.press("📤 提交审核")
    await harness.drain()
    card2 = await secretary.expect("第 2 次提交")
    await secretary.press("✅ 通过", message=card2)
    await harness.drain()
    await a.expect("审核通过")
    late = await secretary.press_data(card2.message_id, f"rv:ok:{record.id}:2")
    assert "已处理" in late.text
    actions = [e.action for e in await audit.for_branch(harness.svc.db, 1)]
    assert {"minutes.submit", "minutes.returned", "minutes.approved", "meeting.schedule"} <= set(actions)

    await secretary.send("/export minutes 2026Q4")
    document = await secretary.expect("会议记录本")
    book = Document(BytesIO(harness.emu.file(document.file_id).content))
    text = "\n".join(p.text for p in book.paragraphs)
    assert "张某发言：要把学习成果转化为工作实效。" in text and "请假：孙丽（在外地出差）" in text
    assert "研究<发展党员>工作" in text and len(book.inline_shapes) == 2
    assert any(cell.text == "村委会<会议室>" for t in book.tables for row in t.rows for cell in row.cells)

    await secretary.send("/compliance 2026Q4")
    report = await secretary.expect("三会一课完成情况")
    assert "第四季度：✅ 已召开 1 次" in report.plain


async def test_minutes_refusals(harness):
    """A meeting that does not exist, one not held yet, a member who is not the recorder, and a forged pick button
    are each answered politely and change nothing."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await schedule_assembly(harness, secretary)
    await a.send("/minutes 999")
    await a.expect("没有找到编号为 999 的会议")
    await a.send("/minutes abc")
    await a.expect("没有找到编号为 abc 的会议")
    await a.send(f"/minutes {MEETING_ID}")
    await a.expect("还没有召开")
    harness.clock.set(AFTER_END)
    await harness.drain()
    await b.send(f"/minutes {MEETING_ID}")
    await b.expect("由本次会议的记录人或支部书记填写")
    await b.send("/meeting")
    await b.expect("权限")
    forged = await b.press_data(b.last.message_id, "mn:p:999")
    assert "没有找到" in forged.text
    assert await submissions.for_ref(harness.svc.db, "minutes", f"meeting:{MEETING_ID}") == []


async def test_group_meeting_reaches_only_its_party_group_and_compliance_counts_per_group(harness):
    """A 党小组会 for 第一党小组 notifies only its members; /compliance lists each group's month; the branch's rules
    are changed on the command line (党小组会 twice a month)."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    for member_id, group in ((2, "第一党小组"), (3, "第一党小组"), (4, "第二党小组")):
        async with harness.svc.db.write() as db:
            await members.set_party_group(db, member_id, group, harness.clock.now())
    done = await harness.cli("meetings", "rules", "--branch", "1", "--cadence", "group=month:2")
    assert done.returncode == 0, done.stderr
    assert "党小组会: 每月 2 次" in done.stdout

    await secretary.send("/meeting")
    await secretary.press("党小组会", message=await secretary.expect("请选择会议类型"))
    choose = await secretary.expect("请选择召开会议的党小组")
    assert choose.labels() == ["第一党小组", "第二党小组"]
    await secretary.press("第一党小组")
    await secretary.expect("第一党小组，2 人")
    await secretary.send("11月27日 19:00-20:30")
    await secretary.expect("请发送会议地点")
    await secretary.send("李红梅家")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习党章第一章")
    await secretary.press("李红梅", message=await secretary.expect("请选择主持人"))
    await secretary.press("赵建国", message=await secretary.expect("请选择记录人"))
    await secretary.press("✏️ 地点", message=await secretary.expect("会议安排预览"))
    await secretary.expect("请发送会议地点")
    await secretary.send("社区活动室")
    preview = await secretary.expect("会议安排预览")
    assert "地点：社区活动室" in preview.plain
    await secretary.press("📤 发布")
    assert "已通知 2 位同志" in (await secretary.expect("党小组会已发布")).plain
    await harness.drain()
    await a.expect("会议通知：党小组会")
    await b.expect("您是本次会议的记录人")
    await harness.emu.idle()
    assert not [t for t in c.texts() if "会议通知" in t]

    await secretary.send("/compliance")
    report = await secretary.expect("2026年第四季度")
    assert "11月 第一党小组：⏳ 已安排 1 次，还差 1 次，本期内仍可安排" in report.plain
    assert "11月 第二党小组：⏳ 尚未召开" in report.plain and "每月至少 2 次" in report.plain
    await a.send("/compliance")
    await a.expect("权限")
    await secretary.send("/compliance 2026Q9")
    await secretary.expect("没能看懂这个期间")
