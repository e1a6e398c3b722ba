"""The county enters next year's public holidays once, in chat: an officer pastes the State Council's notice, sees
the preview, confirms; a theme day planned on what is now a holiday moves by the branch's rule, the secretary is
told once, the members' reminders are re-planned once each and no longer say the year is unknown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.domain.meetings import MeetingKind
from storage import calendars, meetings, outbox
from tests.e2e.helpers import branch_with_members
from tests.support import ADMIN_ID

NOTICE_2027 = (Path(__file__).resolve().parents[1] / "data" / "holiday_notice_2027.txt").read_text(encoding="utf-8")
UNKNOWN_LINE = "2027年法定节假日安排尚未公布"
# 10:00 in Shanghai on 4 October 2027: the October theme day (first Thursday, 7 October, by weekends alone) was made
# a week ago, and its 3-day reminder is due.
THREE_DAYS_BEFORE = datetime(2027, 10, 4, 2, 0, tzinfo=UTC)
EVE = datetime(2027, 10, 7, 11, 40, tzinfo=UTC)  # 19:40 on 7 October: the eve of 8 October
OPENS = datetime(2027, 10, 8, 0, 35, tzinfo=UTC)  # 08:35 on 8 October: check-in open


async def _october_theme_day(harness):
    meeting = await meetings.for_period(harness.svc.db, 1, MeetingKind.THEME_DAY, "2027-10")
    assert meeting is not None
    return meeting


async def _remind_keys(harness, meeting_id: int) -> list[str]:
    rows = await outbox.by_prefix(harness.svc.db, f"meeting:{meeting_id}:remind")
    return sorted(row.key for row in rows if row.status != "cancelled")


async def test_the_notice_entered_in_chat_moves_the_theme_day_and_replans_once(harness):
    """Before the entry the 3-day reminder says 2027's holidays are unknown; the officer pastes the notice, confirms
    the preview; the theme day moves from 7 to 8 October (next working day), the secretary is told once, each
    member gets each later reminder exactly once, without the unknown-year line; the same notice again changes
    nothing."""
    secretary, people = await branch_with_members(harness)
    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    meeting = await _october_theme_day(harness)
    assert meeting.starts_at == datetime(2027, 10, 7, 1, 0, tzinfo=UTC)
    for person in people:
        reminder = await person.expect("还有 3 天")
        assert "10月7日" in reminder.plain and UNKNOWN_LINE in reminder.plain
    planned = await _remind_keys(harness, meeting.id)

    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send(NOTICE_2027)
    preview = await admin.expect("2027年节假日安排预览")
    assert "国庆节：10月1日（周五）至10月7日（周四）放假；9月26日（周日）、10月9日（周六）上班" in preview.plain
    assert "尚未保存" in preview.plain
    answer = await admin.press("✅ 确认录入（县委组织部）")
    assert answer.text
    entered = await admin.expect("已录入「县委组织部」的2027年节假日安排")
    assert "1 个党支部的日期随之调整" in entered.plain
    await harness.drain()

    moved = await _october_theme_day(harness)
    assert moved.starts_at == datetime(2027, 10, 8, 1, 0, tzinfo=UTC)
    told = await secretary.expect("县委组织部已录入2027年节假日安排")
    assert "10月7日的主题党日正值国庆节假期，已改到 10月8日（周五）" in told.plain
    assert {"✅ 确认10月8日", "📅 另定日期（原10月8日）"} <= set(told.labels())
    assert await _remind_keys(harness, meeting.id) == planned  # the same reminders, re-planned, none added

    await admin.send(NOTICE_2027)
    again = await admin.expect("2027年节假日安排预览")
    assert "已录入的2027年安排与此相同，无需更改" in again.plain and "✅ 确认录入（县委组织部）" not in again.labels()

    for moment, words in ((EVE, "明天是10月主题党日"), (OPENS, "现在可以签到了")):
        harness.clock.set(moment)
        await harness.drain()
        await harness.emu.idle()
        for person in people:
            got = [t for t in person.texts() if words in t]
            assert len(got) == 1 and "10月8日" in got[0] and UNKNOWN_LINE not in got[0], got
    assert len([t for t in secretary.texts() if "县委组织部已录入2027年节假日安排" in t]) == 1

    await secretary.press("✅ 确认10月8日", message=told)
    assert (await _october_theme_day(harness)).starts_at == datetime(2027, 10, 8, 1, 0, tzinfo=UTC)


async def test_only_officers_enter_and_a_bad_notice_stores_nothing(harness):
    """A member who pastes the notice is told who enters it (no preview); an officer's notice with a date that does
    not exist is refused naming the line; /holidays shows 2027 as not entered, with the button that starts it."""
    _, (member, *_) = await branch_with_members(harness, names=("李红梅",))
    await member.send(NOTICE_2027)
    refused = await member.expect("由上级党委的管理员统一录入")
    assert "预览" not in refused.plain

    admin = harness.emu.user(ADMIN_ID, "组织部")
    await admin.send(NOTICE_2027.replace("2月14日（周日）", "2月30日（周日）"))
    bad = await admin.expect("不存在的日期")
    assert "二、春节" in bad.plain and "没有保存任何内容" in bad.plain

    await admin.send("/holidays")
    status = await admin.expect("节假日安排")
    assert "2027年：尚未录入" in status.plain and "2026年：国家安排（系统内置）" in status.plain
    await admin.press("📋 录入节假日安排")
    await admin.expect("粘贴或转发到这里")
    await admin.send("明天开会")
    await admin.expect("不是节假日安排通知")
    assert await calendars.years_entered(harness.svc.db) == []
