"""Members without a smartphone and leave left undecided, on the emulator: a notice counts only the people the bot
reaches and names the rest to be told in person; such a member is not offered as recorder; their make-up is
recorded by the secretary from the tally and they are never listed as overdue; a leave undecided at the start is
neither absence nor make-up until the secretary decides it from the tally; "👍" is not a reason."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.callbacks import scheduling as scheduling_cb
from storage import meetings, members
from tests.e2e.helpers import branch_with_members

# The December theme day (first Thursday, 09:00–11:00 Shanghai) is over at 03:05 UTC; make-up due a week later.
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)
PAST_MAKEUP_DUE = datetime(2026, 12, 11, 1, 0, tzinfo=UTC)


async def _add_offline(harness, secretary, name="陈福生"):
    await secretary.send("/members")
    await secretary.expect("党员名册")
    await secretary.press("添加无智能手机的党员")
    await secretary.expect("真实姓名")
    await secretary.send(name)
    await secretary.expect("已将")
    return [m for m in await members.in_branch(harness.svc.db, 1) if m.name == name][0]


async def test_notice_and_recorder_leave_out_a_member_without_a_smartphone(harness):
    """The notice preview says 共 3 人 and names 陈福生 to be told in person, on lines of their own; sent, the count
    is 3 and the read status 0 / 3; in /meeting 陈福生 may host but is not offered as recorder (a forged pick is
    refused)."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    offline = await _add_offline(harness, secretary)
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("周五下午三点在村委会学习。")
    preview = await secretary.expect("通知预览")
    assert "共 3 人\n另有 1 人无法通过机器人接收（陈福生），请当面传达。\n" in preview.plain
    assert "确认无误后" in preview.plain.split("请当面传达。\n", 1)[1]
    sent = await secretary.press("发送")
    assert "已发送给 3 人" in sent.text
    done = await secretary.expect("通知已发送")
    assert "（3 人）" in done.plain and "陈福生" in done.plain
    status = await secretary.expect("阅读情况")
    assert "已读 0 / 3，未读 3" in status.plain

    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("支部党员大会")
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("12月10日 14:30-16:30")
    await secretary.expect("请发送会议地点")
    await secretary.send("村委会")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习全会精神")
    hosts = await secretary.expect("请选择主持人")
    assert "陈福生" in hosts.labels()
    await secretary.press("王书记")
    recorders = await secretary.expect("请选择记录人")
    assert "陈福生" not in recorders.labels() and "李红梅" in recorders.labels()
    forged = await secretary.press_data(recorders.message_id, scheduling_cb.recorder(offline.id))
    assert "没有使用智能手机" in forged.text


async def test_undecided_leave_is_settled_at_the_close_and_offline_makeup_is_recorded(harness):
    """李红梅 asks for leave ("👍" is refused as a reason) and nobody decides before the end: she is not absent, gets
    no make-up task, and the tally shows 请假待定 with a button; the secretary approves from it and only then she
    is on leave with a make-up task. 陈福生 (no smartphone) is absent; the secretary records his make-up from the
    tally (a line without a date is refused); he never appears as overdue in the digest."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    offline = await _add_offline(harness, secretary)
    await a.send("/leave")
    await a.expect("请发送请假理由")
    await a.send("👍")
    await a.expect("至少两个字")
    await a.send("在外地出差")
    await a.expect("请假申请已提交")

    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    assert "请假待定：李红梅" in tally.plain and "请假待定 1 人" in tally.plain
    assert "李红梅" not in tally.plain.split("缺席：", 1)[1]
    assert "📝 审批请假：李红梅" in tally.labels()
    await harness.emu.idle()
    assert not [t for t in a.texts() if "补课通知" in t]
    assert await meetings.attendance_of(harness.svc.db, 1, 2) is None

    await secretary.press("📝 审批请假：李红梅", message=tally)
    card = await secretary.expect("请假申请待审核")
    await secretary.press("✅ 批准", message=card)
    await harness.drain()
    task = await a.expect("补课通知")
    assert "您请假未参加" in task.plain
    assert (await meetings.attendance_of(harness.svc.db, 1, 2)).status == "on_leave"

    await secretary.press("📚 记录补课（代为登记）", message=tally)
    listing = await secretary.expect("登记补课")
    assert "陈福生" in listing.labels()
    await secretary.press("陈福生", message=listing)
    await secretary.expect("补课的日期和内容")
    await secretary.send("自学党章")
    await secretary.expect("没能看出补课日期")
    await secretary.send("12月5日 在家自学党章总纲")  # the 5th has not come yet (it is the 3rd): not last year's
    await secretary.expect("补课日期不能晚于今天")
    await secretary.send("12月3日 在家自学党章总纲，书记当面讲解")
    recorded = await secretary.expect("已补课：陈福生")
    assert "12月3日" in recorded.plain and "在家自学党章总纲" in recorded.plain
    row = await meetings.attendance_of(harness.svc.db, 1, offline.id)
    assert row.status == "absent" and row.made_up_at is not None

    harness.clock.set(PAST_MAKEUP_DUE)
    await harness.drain()
    digest = await secretary.expect("今日待办")
    overdue = digest.plain.split("补课逾期", 1)[1].split("\n\n", 1)[0]  # that section alone (谈心谈话 lists everyone)
    assert "陈福生" not in overdue and "李红梅" in overdue
    await secretary.send("/attendance 12")
    listing = await secretary.expect("签到汇总")
    assert "已完成补课：陈福生" in listing.plain
