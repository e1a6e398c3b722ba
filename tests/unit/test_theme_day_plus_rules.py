"""The pure rules of 主题党日+ and 党小组 theme days: what a theme day may hold, when two meetings overlap, how a held
meeting is named and counted, and each group's own days in a period."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain import cadence
from bot.domain.cadence import MeetingFact
from bot.domain.meetings import Meeting, MeetingKind, may_combine, name_of, overlap, with_held
from bot.domain.overview import MeetingRow, facts_of

START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
END = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)


def _day(**changes) -> Meeting:
    base = dict(id=1, branch_id=1, kind=MeetingKind.THEME_DAY, period="2026-12", title=None, details=None,
                starts_at=START, ends_at=END, checkin_opens_at=START, place=None, venue_lat=None, venue_lon=None,
                venue_radius_m=None, audience="all", status="scheduled", makeup_days=7, closed_at=None)
    return Meeting(**{**base, **changes})


def test_only_a_scheduled_theme_day_for_the_same_people_holds_a_meeting_once():
    """A theme day for everyone holds the 支部党员大会 (once); not a 支委会 for the committee, not a kind it holds,
    not a 组织生活会, not when closed, and a 支委会 cannot hold anything."""
    day = _day()
    assert may_combine(day, MeetingKind.ASSEMBLY, "all")
    assert not may_combine(day, MeetingKind.COMMITTEE, "committee")
    assert not may_combine(day, MeetingKind.LIFE, "all")
    assert not may_combine(_day(holds="assembly"), MeetingKind.ASSEMBLY, "all")
    assert not may_combine(_day(status="closed"), MeetingKind.ASSEMBLY, "all")
    assert not may_combine(_day(kind=MeetingKind.COMMITTEE, audience="all"), MeetingKind.ASSEMBLY, "all")
    assert may_combine(_day(period=None, audience="group:一组"), MeetingKind.GROUP, "group:一组")


def test_holds_keep_one_order_and_name_the_meeting():
    """Held kinds are stored once, in a fixed order, and read back into the meeting's name and kinds."""
    assert with_held("lecture", MeetingKind.ASSEMBLY) == "assembly,lecture"
    assert with_held("assembly", MeetingKind.ASSEMBLY) == "assembly"
    day = _day(holds="assembly,lecture")
    assert day.kinds == {MeetingKind.THEME_DAY, MeetingKind.ASSEMBLY, MeetingKind.LECTURE}
    assert name_of(day.kind, date(2026, 12, 1), day.held) == "12月主题党日暨支部党员大会暨党课"
    assert name_of(MeetingKind.THEME_DAY, None, (), _day(period=None, audience="group:第一党小组").group_day) == \
        "第一党小组主题党日"


def test_overlap_shares_a_moment_and_touching_does_not():
    """Meetings that share a moment overlap; one ending as the other starts does not."""
    assert overlap(START, END, datetime(2026, 12, 3, 2, 0, tzinfo=UTC), datetime(2026, 12, 3, 4, 0, tzinfo=UTC))
    assert not overlap(START, END, END, datetime(2026, 12, 3, 4, 0, tzinfo=UTC))


def test_the_overview_counts_a_held_meeting_for_each_kind():
    """The officers' overview sees a theme day holding a 支部党员大会 as that meeting (the theme day itself is judged
    apart)."""
    row = MeetingRow(id=5, branch_id=1, kind=MeetingKind.THEME_DAY, holds="assembly", starts_at=START)
    assert [(f.kind, f.meeting_id) for f in facts_of([row], "Asia/Shanghai")] == [(MeetingKind.ASSEMBLY, 5)]


def test_group_days_list_each_group_and_leave_the_branch_day_out():
    """Each group's own theme days of the quarter, held and coming; the branch's own day and days outside the
    period are not theirs; nothing at all when no group held or planned one."""
    quarter = cadence.quarter(2026, 4)
    now = datetime(2026, 12, 10, tzinfo=UTC)

    def fact(day: date, audience: str) -> MeetingFact:
        moment = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
        return MeetingFact(MeetingKind.THEME_DAY, day, moment, audience)

    facts = [fact(date(2026, 12, 3), "all"), fact(date(2026, 12, 5), "group:一组"),
             fact(date(2026, 12, 20), "group:一组"), fact(date(2027, 1, 5), "group:二组")]
    rows = {g.group: (g.held, g.scheduled) for g in cadence.group_days(facts, quarter, ["一组", "二组"], now)}
    assert rows == {"一组": ([date(2026, 12, 5)], [date(2026, 12, 20)]), "二组": ([], [])}
    assert cadence.group_days(facts[:1], quarter, ["一组"], now) == []
