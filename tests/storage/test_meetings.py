from datetime import timedelta

from bot.domain.calendar import ThemeDaySettings
from bot.domain.meetings import MeetingKind, Presence
from bot.domain.models import MemberStatus
from storage import branches, meetings, members, themeday


async def _meeting(db, clock, period="2026-12"):
    branch = await branches.create(db, "一支部", clock.now())
    member = await members.create(db, branch_id=branch.id, telegram_id=7, name="张三", status=MemberStatus.ACTIVE,
                                  now=clock.now())
    start = clock.now() + timedelta(days=10)
    meeting = await meetings.create(db, branch_id=branch.id, kind=MeetingKind.THEME_DAY, period=period,
                                    starts_at=start, ends_at=start + timedelta(hours=2),
                                    checkin_opens_at=start - timedelta(minutes=30), now=clock.now())
    return branch, member, meeting


async def test_one_theme_day_per_branch_and_month(db, clock):
    """Creating the same month's theme day twice returns None the second time (the tick may race itself)."""
    branch, _, meeting = await _meeting(db, clock)
    again = await meetings.create(db, branch_id=branch.id, kind=MeetingKind.THEME_DAY, period="2026-12",
                                  starts_at=meeting.starts_at, ends_at=meeting.ends_at,
                                  checkin_opens_at=meeting.checkin_opens_at, now=clock.now())
    assert again is None
    assert await meetings.periods_present(db, MeetingKind.THEME_DAY, ["2026-12", "2027-01"]) == {(branch.id, "2026-12")}


async def test_check_in_once_and_leave_never_overrides_presence(db, clock):
    """A second check-in changes nothing; approved leave does not undo a check-in; absences fill only the gaps."""
    _, member, meeting = await _meeting(db, clock)
    assert await meetings.record_presence(db, meeting.id, member.id, Presence.CHECKED_IN, None, clock.now())
    assert not await meetings.record_presence(db, meeting.id, member.id, Presence.LATE, None, clock.now())
    assert not await meetings.record_leave(db, meeting.id, member.id, member.id, clock.now())
    await meetings.record_absences(db, meeting.id, [member.id], clock.now())
    assert (await meetings.attendance_of(db, meeting.id, member.id)).status is Presence.CHECKED_IN


async def test_leave_after_absence_and_history(db, clock):
    """Leave approved after the close turns an absence into leave; the member's history lists the meeting."""
    _, member, meeting = await _meeting(db, clock)
    await meetings.record_absences(db, meeting.id, [member.id], clock.now())
    assert await meetings.record_leave(db, meeting.id, member.id, member.id, clock.now())
    await meetings.mark_made_up(db, meeting.id, member.id, clock.now())
    [(seen, row)] = await meetings.history_of(db, member.id)
    assert seen.id == meeting.id and row.status is Presence.ON_LEAVE and row.made_up_at is not None


async def test_theme_day_settings_default_and_roundtrip(db, clock):
    """A branch without a row gets the county default; saved settings come back as typed."""
    branch = await branches.create(db, "一支部", clock.now())
    assert (await themeday.settings_of(db, branch.id)).label == "每月第一个星期四"
    await themeday.save_settings(db, branch.id, ThemeDaySettings(mode="monthday", day=5, place="村委会"), clock.now())
    saved = await themeday.settings_of(db, branch.id)
    assert (saved.label, saved.place) == ("每月5日", "村委会")
    assert (await themeday.all_settings(db))[branch.id] == saved
    await themeday.set_county_theme(db, "2026-12", "学习全会精神", 9001, clock.now())
    assert await themeday.county_theme(db, "2026-12") == "学习全会精神"
