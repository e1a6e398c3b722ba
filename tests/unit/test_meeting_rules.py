"""Meeting rules shared by the theme day and 三会一课: window, lateness, reminders, tally, venue distance."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.calendar import ThemeDaySettings
from bot.domain.meetings import (
    Presence,
    Window,
    checkin_window,
    distance_m,
    expected_members,
    presence_at,
    reminder_moments,
    tally,
)
from bot.domain.models import Member, MemberStatus
from bot.domain.roles import Role
from bot.services.themeday import due_months, span

START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
OPENS, END = START - timedelta(minutes=30), START + timedelta(hours=2)


def _member(id_, name, roles=(), group=None):
    return Member(id=id_, branch_id=1, telegram_id=id_, name=name, status=MemberStatus.ACTIVE, roles=frozenset(roles),
                  party_group=group, created_at=START, updated_at=START)


def test_checkin_window_edges():
    """Open from 30 minutes before the start to the end, inclusive; before is too early, after is closed."""
    assert checkin_window(OPENS, END, OPENS - timedelta(seconds=1)) is Window.TOO_EARLY
    assert checkin_window(OPENS, END, OPENS) is Window.OPEN
    assert checkin_window(OPENS, END, END) is Window.OPEN
    assert checkin_window(OPENS, END, END + timedelta(seconds=1)) is Window.CLOSED


def test_late_after_the_start():
    """On time up to the start; a minute later is late."""
    assert presence_at(START, START) is Presence.CHECKED_IN
    assert presence_at(START, START + timedelta(minutes=1)) is Presence.LATE


def test_reminder_moments_in_local_time():
    """3 days before, 19:30 local the evening before, and when check-in opens."""
    moments = {m.name: m.due_at for m in reminder_moments(START, OPENS, "Asia/Shanghai")}
    assert moments["remind-3d"] == START - timedelta(days=3)
    assert moments["remind-eve"].astimezone(UTC) == datetime(2026, 12, 2, 11, 30, tzinfo=UTC)
    assert moments["remind-open"] == OPENS


def test_expected_members_by_audience():
    """'all', the committee, or one party group."""
    people = [_member(1, "王", [Role.SECRETARY]), _member(2, "李", group="一组"), _member(3, "赵", [Role.ORGANIZER])]
    assert [m.name for m in expected_members(people, "all")] == ["王", "李", "赵"]
    assert [m.name for m in expected_members(people, "committee")] == ["王", "赵"]
    assert [m.name for m in expected_members(people, "group:一组")] == ["李"]


def test_tally_counts_names_and_treats_no_row_as_absent():
    """应到/实到/请假/缺席: late counts as present and is also listed; a member with no row is absent."""
    people = [_member(1, "王"), _member(2, "李"), _member(3, "赵"), _member(4, "孙")]
    result = tally(people, {1: Presence.CHECKED_IN, 2: Presence.LATE, 3: Presence.ON_LEAVE})
    assert result.expected == ["王", "李", "赵", "孙"]
    assert result.present == ["王", "李"] and result.late == ["李"]
    assert result.on_leave == ["赵"] and result.absent == ["孙"]


def test_distance():
    """About 111 km per degree of latitude; the same point is 0 m away."""
    assert distance_m(30.0, 120.0, 30.0, 120.0) == 0
    assert 111_000 < distance_m(30.0, 120.0, 31.0, 120.0) < 111_400


def test_theme_day_is_due_lead_days_ahead_and_not_after_it_is_over():
    """Default rule (first Thursday, 10 days ahead): on 23 Nov the 3 Dec day is due; on 22 Nov not yet."""
    settings = ThemeDaySettings()
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert due_months(settings, date(2026, 11, 23), "Asia/Shanghai", now) == [(2026, 12)]
    assert due_months(settings, date(2026, 11, 22), "Asia/Shanghai", now - timedelta(days=1)) == []
    after = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # 12:00 local, the meeting (09:00–11:00) is over
    assert due_months(settings, date(2026, 12, 3), "Asia/Shanghai", after) == []
    starts, ends, opens = span(settings, date(2026, 12, 3), "Asia/Shanghai")
    assert (starts.astimezone(UTC), opens.astimezone(UTC)) == (START, OPENS)
