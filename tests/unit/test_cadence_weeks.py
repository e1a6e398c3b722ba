"""专题学习's weekly and fortnightly cadences: ISO weeks, fortnights across a new year, holiday weeks, warnings and
how strict each is in a unit's policy (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import policy
from bot.domain.cadence import (
    Cadence,
    MeetingFact,
    MinutesState,
    Period,
    WindowState,
    by_days,
    compliance,
    fortnight_start,
    quarter,
    unscheduled_warnings,
    week_start,
    windows,
)
from bot.domain.holidays import WorkCalendar
from bot.domain.meetings import MeetingKind, too_short

S = MeetingKind.STUDY
WEEKLY = {S: Cadence(per="week", times=1)}


def fact(day, minutes=MinutesState.APPROVED):
    return MeetingFact(S, day, datetime(day.year, day.month, day.day, 6, tzinfo=UTC), "all", minutes)


def test_weeks_of_a_quarter_are_iso_weeks_across_the_new_year():
    """2026Q4's weeks run Monday to Sunday from 2026-09-28 to 2027-01-03, the last being ISO week 53 of 2026."""
    found = windows(Cadence(per="week"), quarter(2026, 4))
    assert found[0].start == date(2026, 9, 28) and found[-1].end == date(2027, 1, 4)
    assert all(w.start.weekday() == 0 and w.end - w.start == timedelta(days=7) for w in found)
    assert len(found) == 14
    assert found[-1].label.startswith("2026年第53周") and "12月28日" in found[-1].label
    first_2027 = windows(Cadence(per="week"), quarter(2027, 1))
    assert first_2027[0].start == date(2026, 12, 28)  # the same week belongs to both quarters' reports
    assert windows(Cadence(per="week"), quarter(2027, 2))[0].label.startswith("2027年第13周")


def test_week_start_of_a_sunday_and_a_monday():
    """A Sunday belongs to the week begun six days before; a Monday begins its own."""
    assert week_start(date(2027, 1, 3)) == date(2026, 12, 28)
    assert week_start(date(2027, 1, 4)) == date(2027, 1, 4)


def test_fortnights_run_on_across_a_year():
    """Fortnights are 14 days from a fixed Monday, contiguous over the new year (no short fortnight in January)."""
    start = fortnight_start(date(2026, 12, 31))
    assert start.weekday() == 0 and start <= date(2026, 12, 31) < start + timedelta(days=14)
    found = windows(Cadence(per="fortnight"), Period("", "", date(2026, 11, 1), date(2027, 3, 1)))
    assert all(b.start == a.end for a, b in zip(found, found[1:], strict=False))
    assert all(w.end - w.start == timedelta(days=14) for w in found)
    assert fortnight_start(found[3].start + timedelta(days=13)) == found[3].start


def test_weekly_compliance_counts_each_week_and_reports_a_missing_one():
    """Weekly study held in two weeks of December and not in the third is ❌ for that week, ⏳ for the running one."""
    period = Period("", "", date(2026, 12, 1), date(2027, 1, 1))
    facts = [fact(date(2026, 12, 1)), fact(date(2026, 12, 10), MinutesState.NONE)]
    now = datetime(2026, 12, 23, 4, tzinfo=UTC)
    report = compliance(WEEKLY, period, facts, now, date(2026, 12, 23), [])[0]
    states = {w.window.start: w.state for w in report.windows}
    assert states[date(2026, 11, 30)] is WindowState.DONE
    assert states[date(2026, 12, 7)] is WindowState.HELD  # held, the minutes still to be approved
    assert states[date(2026, 12, 14)] is WindowState.MISSING
    assert states[date(2026, 12, 21)] is WindowState.OPEN
    assert not report.complete


def test_study_not_asked_by_default_is_not_reported():
    """Without a unit or branch asking it (times 0), 专题学习 has no windows to miss."""
    assert compliance({S: Cadence(per="week", times=0)}, quarter(2026, 4), [], datetime(2026, 12, 31, tzinfo=UTC),
                      date(2026, 12, 31), []) == []


def test_a_spring_festival_week_asks_nothing():
    """2026's Spring Festival week (16–22 Feb, no working day) is not demanded; the weeks around it are."""
    calendar = WorkCalendar()
    period = Period("", "", date(2026, 2, 9), date(2026, 3, 2))
    now = datetime(2026, 3, 2, 4, tzinfo=UTC)
    report = compliance(WEEKLY, period, [], now, date(2026, 3, 2), [], calendar.is_working_day)[0]
    starts = [w.window.start for w in report.windows]
    assert date(2026, 2, 16) not in starts
    assert date(2026, 2, 9) in starts and date(2026, 2, 23) in starts
    without = compliance(WEEKLY, period, [], now, date(2026, 3, 2), [])[0]
    assert date(2026, 2, 16) in [w.window.start for w in without.windows]  # no calendar: every week is asked


def test_a_study_held_in_a_holiday_week_still_shows():
    """A week without a working day is still reported when a study was held in it anyway."""
    period = Period("", "", date(2026, 2, 16), date(2026, 2, 23))
    now = datetime(2026, 2, 23, 4, tzinfo=UTC)
    report = compliance(WEEKLY, period, [fact(date(2026, 2, 18))], now, date(2026, 2, 23), [],
                        WorkCalendar().is_working_day)[0]
    assert [w.state for w in report.windows] == [WindowState.DONE]


@pytest.mark.parametrize("today, warned", [(date(2026, 12, 16), False), (date(2026, 12, 17), True),
                                           (date(2026, 12, 20), True), (date(2026, 12, 21), False)])
def test_weekly_warning_from_thursday(today, warned):
    """A week with no study scheduled is warned about from its Thursday (its middle) to its Sunday."""
    found = unscheduled_warnings(WEEKLY, [fact(date(2026, 12, 21))], today, [], since=date(2026, 1, 1))
    assert bool(found) is warned
    if warned:
        assert found[0].window.start == date(2026, 12, 14) and found[0].key == "study:2026-12-14:"


def test_no_warning_in_a_holiday_week_or_once_scheduled():
    """Thursday of the Spring Festival week warns of nothing; a week with a study on the calendar neither."""
    calendar = WorkCalendar()
    assert unscheduled_warnings(WEEKLY, [], date(2026, 2, 19), [], since=date(2026, 1, 1),
                                working=calendar.is_working_day) == []
    assert unscheduled_warnings(WEEKLY, [fact(date(2026, 12, 19))], date(2026, 12, 17), [],
                                since=date(2026, 1, 1)) == []


def test_policy_ranks_weekly_over_fortnightly_over_monthly():
    """每周 is stricter than 每两周, which is stricter than 每月 2 次; a branch may not go laxer than its unit."""
    assert policy.at_least("cadence_study", "week_1", "fortnight_1")
    assert policy.at_least("cadence_study", "fortnight_1", "month_2")
    assert not policy.at_least("cadence_study", "month_1", "week_1")
    units = policy.resolve([(2, {"cadence_study": "fortnight_1"})])
    assert policy.branch_offer("cadence_study", units) == ("week_1", "fortnight_1")
    own = policy.for_branch(units, {"cadence_study": "month_1"})
    assert own["cadence_study"].code == "fortnight_1" and own["cadence_study"].unit_id == 2
    assert policy.DEFAULTS["cadence_study"] == "none_0"
    assert not policy.valid("cadence_assembly", "week_1")  # weeks are for 专题学习 only


def test_study_lasts_at_least_an_hour():
    """A 专题学习 shorter than an hour is too short; an hour is enough; other kinds are not measured so."""
    start = datetime(2026, 12, 10, 7, tzinfo=UTC)
    assert too_short(S, start, start + timedelta(minutes=59))
    assert not too_short(S, start, start + timedelta(hours=1))
    assert not too_short(MeetingKind.COMMITTEE, start, start + timedelta(minutes=30))


def test_the_calendar_is_read_only_for_weekly_or_fortnightly_cadences():
    """Only a week or fortnight asked at least once can fall wholly in a holiday; study not asked, or monthly, cannot."""
    assert by_days(WEEKLY) and by_days({S: Cadence(per="fortnight", times=1)})
    assert not by_days({S: Cadence(per="week", times=0), MeetingKind.COMMITTEE: Cadence(per="month")})
