"""Typed words do what they say: 签到 / 到了 / 我到了 check in (or ask for the location where the venue needs it),
请假 starts the leave form; a form under way still takes what is typed; anything not understood is answered with
the person's to-dos as buttons, and each button does its job."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import meetings
from tests.e2e.helpers import branch_with_members

# The December theme day (first Thursday, 09:00–11:00 Shanghai): check-in is open at 08:55.
CHECKIN_OPEN = datetime(2026, 12, 3, 0, 55, tzinfo=UTC)
VENUE = (34.2655, 108.9542)


async def _theme_day(harness):
    return next(m for m in await meetings.upcoming_in_branch(harness.svc.db, 1, harness.clock.now()) if m.period)


async def test_typed_words_check_in_and_ask_for_leave(harness):
    """Before the window "签到" says when it opens; once open "我到了" and "到了。" check in, "请假" asks for the
    reason and the leave is filed; "签到" typed into a form is that form's answer, not a check-in."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await a.send("签到")
    early = await a.expect("现在还不能签到")
    assert "签到时间" in early.plain

    harness.clock.set(CHECKIN_OPEN)
    await a.send("我到了")
    await a.expect("签到成功")
    await b.send("到了。")
    await b.expect("签到成功")
    await c.send("请假")
    await c.expect("请发送请假理由")
    await c.send("家中老人住院")
    await c.expect("请假申请已提交")
    theme_day = await _theme_day(harness)
    marked = {row.member_id: row.status for row in await meetings.attendance(harness.svc.db, theme_day.id)}
    assert sorted(marked.values()) == ["checked_in", "checked_in"]

    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("签到")  # the notice's text: the form takes it
    preview = await secretary.expect("通知预览")
    assert "签到" in preview.plain
    assert (await meetings.attendance_of(harness.svc.db, theme_day.id, 1)) is None


async def test_check_in_by_words_asks_for_the_location_where_the_venue_needs_it(harness):
    """At a theme day with a venue check, "签到" answers with the 📍 key; sharing the location checks in."""
    secretary, (a, _, _) = await branch_with_members(harness)
    theme_day = await _theme_day(harness)
    async with harness.svc.db.write() as db:
        await meetings.reschedule(db, theme_day.id, starts_at=theme_day.starts_at, ends_at=theme_day.ends_at,
                                  checkin_opens_at=theme_day.checkin_opens_at, place="村委会", venue=(*VENUE, 300),
                                  makeup_days=theme_day.makeup_days, now=harness.clock.now())
    harness.clock.set(CHECKIN_OPEN)
    await a.send("签到")
    asked = await a.expect("签到需要核对位置")
    assert asked.reply_keyboard is not None
    a.location = VENUE  # the phone is at the venue
    await a.tap_key("📍 发送我的位置")
    await a.expect("签到成功")


async def test_what_is_not_understood_gets_the_to_dos_as_buttons(harness):
    """"你好" during the check-in: the member gets ✅ 签到 (which checks in); the secretary, with a leave waiting,
    gets 📋 待审核 1 项 (which opens /pending) beside his own 签到; once nothing is left, the answer says so."""
    secretary, (a, b, _) = await branch_with_members(harness)
    harness.clock.set(CHECKIN_OPEN)
    await b.send("请假")
    await b.expect("请发送请假理由")
    await b.send("在外地出差")
    await b.expect("请假申请已提交")

    await a.send("你好")
    todo = await a.expect("您现在的待办")
    assert todo.labels() == ["✅ 签到：12月主题党日"]
    await a.press("✅ 签到：12月主题党日", message=todo)
    await a.expect("签到成功")

    await secretary.send("在吗")
    todo = await secretary.expect("您现在的待办")
    assert todo.labels() == ["📋 待审核 1 项", "✅ 签到：12月主题党日"]
    await secretary.press("📋 待审核 1 项", message=todo)
    listing = await secretary.expect("待审核（")
    assert any("请假申请" in label and "赵建国" in label for label in listing.labels()), listing.labels()

    await a.send("谢谢")
    nothing = await a.expect("您现在没有待办事项")
    assert not nothing.labels()
