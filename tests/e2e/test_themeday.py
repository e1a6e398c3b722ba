"""The monthly theme day on the emulator: created ahead, theme set, reminders with 签到/请假, check-in in its
window (own, proxy, late), leave with approval, the tally after the day, and make-up with review."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.domain.meetings import MeetingKind
from bot.domain.roles import Role
from storage import meetings, members, outbox, submissions
from tests.e2e.helpers import branch_with_members, data_rows
from tests.support import ENGINES

# The default rule (first Thursday, 09:00–11:00 Shanghai): 3 December 2026 is 01:00–03:00 UTC.
THREE_DAYS_BEFORE = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)
AFTER_START = datetime(2026, 12, 3, 1, 20, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)
CHECKIN, LEAVE = "✅ 签到", "📝 请假"


async def _theme_day_with_theme(harness, theme="学习<党章>，重温入党誓词"):
    secretary, people = await branch_with_members(harness)
    await harness.drain()
    await harness.emu.idle()
    # Made during the first join's drain (10 days ahead), with the request for a theme.
    assert len([t for t in secretary.texts() if "12月主题党日已排定" in t]) == 1
    await secretary.send("/themeday")
    await secretary.expect("每月第一个星期四")
    await secretary.press("✏️ 设置主题")
    await secretary.expect("请发送12月主题党日的主题")
    await secretary.send(theme)
    view = await secretary.expect("已修改")
    assert theme in view.plain and "12月3日（星期四）09:00–11:00" in view.plain
    return secretary, people


@pytest.mark.parametrize("engine", ENGINES)  # the bot on each storage engine
async def test_reminders_checkin_window_proxy_late_and_tally(harness):
    """Reminder 3 days ahead carries 签到/请假; too early is refused with the window; at opening a member checks in
    (a double tap changes nothing), the secretary checks one in by proxy, a late one is marked late; the tally
    follows."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)

    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    reminder = await a.expect("还有 3 天")
    assert {CHECKIN, LEAVE} <= set(reminder.labels()) and "学习<党章>" in reminder.plain
    too_early = await a.press(CHECKIN)
    assert "还不能签到" in too_early.text and "12月3日 08:30" in too_early.text
    assert await meetings.attendance(harness.svc.db, 1) == []

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    opened = await a.expect("现在可以签到")
    answer = await a.press(CHECKIN)
    assert "签到成功" in answer.text
    await a.expect("签到成功")
    again = await a.press_data(opened.message_id, "mt:ci:1")
    assert "已经签到过" in again.text

    sec_reminder = await secretary.expect("现在可以签到")
    assert "👥 代签到" in sec_reminder.labels()
    await secretary.press("👥 代签到")
    await secretary.expect("还有 3 人未签到")
    proxied = await secretary.press("孙丽")
    assert "孙丽 已代签" in proxied.text
    await secretary.expect("还有 2 人未签到")  # the list is edited, 孙丽 gone
    await secretary.press(CHECKIN, message=sec_reminder)

    harness.clock.set(AFTER_START)
    await b.send("/checkin")
    late = await b.expect("签到成功")
    assert "迟到" in late.plain

    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    assert "应到 4 人，实到 4 人（其中迟到 1 人），请假 0 人，缺席 0 人" in tally.plain
    assert "迟到：赵建国" in tally.plain
    rows = {r.member_id: r for r in await meetings.attendance(harness.svc.db, 1)}
    assert rows[4].by_member == 1 and rows[3].status == "late"
    await harness.emu.idle()
    assert not [t for t in a.texts() if "明天是" in t]  # the evening reminder was past its use: expired, not sent
    assert not [t for t in a.texts() if "补课通知" in t]


async def test_leave_asked_with_reason_and_approved(harness):
    """请假 from the reminder: an empty reason is refused; the reason goes to the secretary as 批准/不批准;
    approved leave is not an absence, and the member gets no more reminders."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)
    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    await b.expect("还有 3 天")
    await b.press(LEAVE)
    await b.expect("请发送请假理由")
    await b.send("   ")
    await b.expect("请假需要写明理由")
    await b.send("在县医院住院治疗")
    await b.expect("请假申请已提交")
    twice = await b.press(LEAVE)
    assert "等待书记审批" in twice.text

    await harness.drain()
    card = await secretary.expect("请假申请待审核")
    assert "在县医院住院治疗" in card.plain and {"✅ 批准", "❌ 不批准"} <= set(card.labels())
    await secretary.press("✅ 批准")
    assert "✅ 已批准" in (await secretary.expect("已批准")).plain  # the card itself shows the decision (a leave is 批准)
    await harness.drain()
    await b.expect("已由王书记审核通过")
    assert (await meetings.attendance_of(harness.svc.db, 1, 3)).status == "on_leave"

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    await a.expect("现在可以签到")
    await harness.emu.idle()
    assert not [t for t in b.texts() if "现在可以签到" in t]
    assert (await outbox.get(harness.svc.db, "meeting:1:remind-open:member:3")).status == "skipped"

    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    assert "请假 1 人" in tally.plain and "请假：赵建国" in tally.plain
    task = await b.expect("补课通知")
    assert "您请假未参加" in task.plain


async def _held_with_one_absentee(harness):
    """The theme day held: the secretary and two members checked in, 孙丽 did not; the secretary has the tally."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)
    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    for person in (secretary, a, b):
        await person.expect("现在可以签到")
        await person.press(CHECKIN)
    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    assert "缺席：孙丽" in tally.plain
    return secretary, (a, b, c), tally


async def test_absentee_makes_up_and_secretary_approves(harness, tmp_path):
    """An absentee gets a make-up task due in 7 days; submitting empty is refused; text and a photo are kept,
    submitted and approved; the deadline reminder stops once it is handed in; /me, /attendance and the XLSX
    register (chat and command line) show it."""
    secretary, (a, b, c), tally = await _held_with_one_absentee(harness)
    task = await c.expect("补课通知")
    assert "12月10日 11:00" in task.plain

    await c.press("📝 提交补课材料")
    await c.expect("请发送您的学习心得")
    empty = await c.press_data(task.message_id, "mt:ms:1")
    assert "还是空的" in empty.text
    await c.send("重新学习了党章总纲，抄写入党誓词一遍。")
    await c.expect("已保存")
    await c.send_photo(caption="学习笔记")
    kept = await c.expect("图片 1 张")
    assert "文字" in kept.plain
    await c.send("并写了学习心得。")  # the make-up takes as many messages as the member sends, until 提交
    await c.expect("已保存")
    await c.press("📤 提交")
    await c.expect("补课材料已提交")
    handed_in = await submissions.find(harness.svc.db, "makeup", "meeting:1", 4)
    assert handed_in.content["text"] == "重新学习了党章总纲，抄写入党誓词一遍。\n学习笔记\n并写了学习心得。"

    await harness.drain()
    card = await secretary.expect("补课材料待审核")
    assert "抄写入党誓词" in card.plain and "附图 1 张" in card.plain
    await secretary.press("✅ 通过")
    await harness.drain()
    await c.expect("已由王书记审核通过")
    assert (await meetings.attendance_of(harness.svc.db, 1, 4)).made_up_at is not None
    harness.clock.set(datetime(2026, 12, 8, 3, 0, tzinfo=UTC))
    await harness.drain()
    assert (await outbox.get(harness.svc.db, "meeting:1:makeup:4:remind-2d")).status == "skipped"

    await c.send("/me")
    record = await c.expect("组织生活记录")
    assert "12月主题党日" in record.plain and "缺席，已补课" in record.plain
    await secretary.send("/attendance 12")
    listing = await secretary.expect("签到汇总")
    assert "已完成补课：孙丽" in listing.plain

    await secretary.send("/export attendance 2026")
    document = await secretary.expect("考勤登记表")
    sheet = load_workbook(BytesIO(harness.emu.file(document.file_id).content))["考勤登记"]
    by_name = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert by_name["孙丽"][1:] == ("缺席（已补课）", 0, 0, 1)
    assert by_name["李红梅"][1:] == ("√", 1, 0, 0)
    out = tmp_path / "register.xlsx"
    done = await harness.cli("export", "attendance", "--branch", "1", "--year", "2026", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert data_rows(load_workbook(out)["活动一览"])[0][2] == "学习<党章>，重温入党誓词"


async def test_stale_and_forged_buttons_change_nothing(harness):
    """After the day, last month's 签到 and 请假 are answered politely; a member cannot proxy check-in,
    and a button naming a meeting that does not exist is stale."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)
    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    opened = await a.expect("现在可以签到")
    forged = await a.press_data(opened.message_id, "mt:px:1:3")
    assert "权限" in forged.text
    missing = await a.press_data(opened.message_id, "mt:ci:99")
    assert "过期" in missing.text or "失效" in missing.text
    harness.clock.set(AFTER_END)
    await harness.drain()
    late_tap = await a.press_data(opened.message_id, "mt:ci:1")
    assert "签到已经结束" in late_tap.text
    late_leave = await a.press_data(opened.message_id, "mt:lv:1")
    assert "不能再请假" in late_leave.text
    await a.send("/leave")
    await a.expect("目前没有安排中的活动")
    assert await meetings.attendance_of(harness.svc.db, 1, 2) is not None
    assert (await meetings.attendance_of(harness.svc.db, 1, 2)).status == "absent"


async def test_location_check_refuses_a_member_far_from_the_venue(harness):
    """With the venue's location set in /themeday, a member must share a location within the radius."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)
    await secretary.press("📌 签到位置核验")
    await secretary.expect("签到位置核验")
    await secretary.send("在会场")
    await secretary.expect("请发送会场的")
    await secretary.send_location(30.0, 120.0)
    view = await secretary.expect("已修改")
    assert "已开启（300 米内）" in view.plain

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    await a.expect("现在可以签到")
    await a.press(CHECKIN)
    await a.expect("核对位置")
    await a.send_location(30.05, 120.0)
    far = await a.expect("超出了签到范围")
    assert "约 5560 米" in far.plain
    assert await meetings.attendance_of(harness.svc.db, 1, 2) is None
    await a.send_location(30.0005, 120.0005)
    await a.expect("签到成功")
    assert (await meetings.attendance_of(harness.svc.db, 1, 2)).status == "checked_in"


async def test_location_check_in_takes_one_tap_on_the_reply_keyboard(harness):
    """A venue check asks with a one-time 📍 发送我的位置 key (request_location): tapping it far away is refused and
    the key comes back; tapping it at the venue checks the member in and the keyboard is removed. Taps: 签到 + 📍."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)
    await secretary.press("📌 签到位置核验")
    await secretary.expect("签到位置核验")
    await secretary.send("在会场")
    await secretary.expect("请发送会场的")
    await secretary.send_location(30.0, 120.0)
    await secretary.expect("已修改")

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    await a.expect("现在可以签到")
    await a.press(CHECKIN)
    prompt = await a.expect("核对位置")
    assert "点下方的「📍 发送我的位置」" in prompt.plain
    key = a.keyboard.button("📍 发送我的位置")
    assert key is not None and key.request_location and a.keyboard.one_time
    a.location = (30.05, 120.0)
    await a.tap_key("📍 发送我的位置")
    await a.expect("超出了签到范围")
    assert a.keyboard is not None and a.keyboard.button("📍 发送我的位置") is not None
    assert await meetings.attendance_of(harness.svc.db, 1, 2) is None
    a.location = (30.0005, 120.0005)
    await a.tap_key("📍 发送我的位置")
    await a.expect("签到成功")
    assert a.keyboard is None
    assert (await meetings.attendance_of(harness.svc.db, 1, 2)).status == "checked_in"


async def test_rule_change_moves_the_coming_theme_day(harness):
    """Changing the rule to 'the 5th' moves December's theme day and its reminders; a bad rule changes nothing;
    the details and the check-in window (更多设置) reach the coming day and its reminders."""
    secretary, (a, b, c) = await _theme_day_with_theme(harness)
    await a.send("/leave")
    await a.expect("12月主题党日请假")
    await a.send("/cancel")
    await secretary.press("📅 改日期规则")
    await secretary.expect("请发送新的日期规则")
    await secretary.send("下周四吧")
    await secretary.expect("日期规则看不懂")
    await secretary.send("每月5日")
    view = await secretary.expect("已修改")
    assert "每月5日" in view.plain and "12月5日（星期六）09:00–11:00" in view.plain
    moved = await meetings.get(harness.svc.db, 1)
    assert moved.starts_at == datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    row = await outbox.get(harness.svc.db, "meeting:1:remind-3d:member:1")
    assert row.due_at == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)

    await secretary.press("📝 活动安排")
    await secretary.expect("活动安排")
    await secretary.send("学习党章第一章；交纳党费")
    await secretary.expect("安排：学习党章第一章；交纳党费")
    await secretary.press("⚙️ 更多设置")
    await secretary.expect("更多设置")
    saved = await secretary.press("签到提前 60")
    assert "已保存" in saved.text
    await secretary.expect("开始前 60 分钟起")
    assert (await meetings.get(harness.svc.db, 1)).checkin_opens_at == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)
    forged = await a.press_data(a.last.message_id, "td:opt:checkin_before_min:30")
    assert "权限" in forged.text
    odd = await secretary.press_data(secretary.last.message_id, "td:opt:checkin_before_min:5")
    assert "失效" in odd.text
    harness.clock.set(datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    await harness.drain()
    reminder = await a.expect("还有 3 天")
    assert "安排：学习党章第一章；交纳党费" in reminder.plain and "12月5日（星期六）" in reminder.plain


async def test_county_theme_is_inherited_unless_the_branch_sets_its_own(harness):
    """An admin's /countytheme reaches a branch without its own theme, which sees it is the county's; a member
    cannot set it."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await harness.emu.idle()
    # Made during the first join's drain (10 days ahead), with the request for a theme.
    assert len([t for t in secretary.texts() if "12月主题党日已排定" in t]) == 1
    await a.send("/countytheme 2026-12 学习贯彻全会精神")
    await a.expect("权限")
    admin = harness.emu.user(9001, "组织部")
    await admin.send("/countytheme 2026-12")
    await admin.expect("请这样写")
    await admin.send("/countytheme 2026-12 学习贯彻全会精神")
    done = await admin.expect("全县统一主题")
    assert "1 个支部" in done.plain
    await secretary.send("/themeday")
    view = await secretary.expect("主题党日")
    assert "学习贯彻全会精神（县委组织部统一主题）" in view.plain
    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    reminder = await a.expect("还有 3 天")
    assert "学习贯彻全会精神" in reminder.plain


async def test_any_meeting_kind_reuses_checkin_and_tally(harness):
    """A 支部委员会 meeting (as 三会一课 will create them) uses the same check-in and close: only the committee is
    expected, a member outside it is told so, and the tally after it lists the committee alone."""
    secretary, (a, b, c) = await branch_with_members(harness)
    starts = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    async with harness.svc.db.write() as db:
        await members.add_role(db, 3, Role.ORGANIZER)  # 赵建国 sits on the committee
        meeting = await meetings.create(db, branch_id=1, kind=MeetingKind.COMMITTEE, starts_at=starts,
                                        ends_at=datetime(2026, 11, 23, 4, 0, tzinfo=UTC),
                                        checkin_opens_at=datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
                                        now=harness.clock.now(), title="研究年终评议安排", audience="committee")
    await a.send("/checkin")
    await a.expect("目前没有安排中的活动")
    refused = await a.press_data(a.last.message_id, f"mt:ci:{meeting.id}")
    assert "不需要您参加" in refused.text
    await b.send("/checkin")
    await b.expect("欢迎参加支部委员会")
    harness.clock.set(datetime(2026, 11, 23, 4, 5, tzinfo=UTC))
    await harness.drain()
    tally = await secretary.expect("支部委员会签到汇总")
    assert "应到 2 人，实到 1 人" in tally.plain and "缺席：王书记" in tally.plain


async def test_secretary_corrects_an_absence_after_the_day(harness):
    """孙丽 came but never checked in: after the tally the secretary records her as present; her make-up task is
    withdrawn, she is told, the tally follows, and a member cannot do the same."""
    secretary, (a, b, c), tally = await _held_with_one_absentee(harness)
    await c.expect("补课通知")

    forged = await a.press_data(a.last.message_id, "mt:fy:1:4")
    assert "权限" in forged.text
    await secretary.press("更正：实际到场", message=tally)
    await secretary.expect("更正出席记录")
    done = await secretary.press("孙丽")
    assert "孙丽" in done.text
    fixed = await secretary.expect("实到 4 人")
    assert "缺席" not in fixed.plain.split("人。", 1)[1]
    await harness.drain()
    await c.expect("已更正出席记录")

    row = await meetings.attendance_of(harness.svc.db, 1, 4)
    assert row.status == "checked_in" and row.by_member is not None
    task = await submissions.find(harness.svc.db, "makeup", "meeting:1", 4)
    assert task.status == "withdrawn"
    assert all(r.status != "pending" for r in await outbox.by_prefix(harness.svc.db, "meeting:1:makeup:4:"))
    again = await secretary.press_data(tally.message_id, "mt:fy:1:4")
    assert "无需更正" in again.text
