"""三会一课 cadence and compliance over quarters and half-years (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.cadence import (
    DEFAULT_CADENCES,
    Cadence,
    MeetingFact,
    MinutesState,
    WindowState,
    compliance,
    half,
    parse_period,
    quarter,
    unscheduled_warnings,
    windows,
)
from bot.domain.meetings import MeetingKind

A, C, G, L = MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE


def fact(kind, day, minutes=MinutesState.APPROVED, audience="all"):
    return MeetingFact(kind, day, datetime(day.year, day.month, day.day, 6, tzinfo=UTC), audience, minutes)


@pytest.mark.parametrize("text, code", [("2026Q4", "2026Q4"), ("q4", "2026Q4"), ("4", "2026Q4"),
                                        ("2026年第四季度", "2026Q4"), ("第一季度", "2026Q1"), ("2027Q1", "2027Q1"),
                                        ("2026H2", "2026H2"), ("上半年", "2026H1"), ("2026年下半年", "2026H2")])
def test_parse_period(text, code):
    """Quarters and half-years as secretaries write them; the year defaults to today's."""
    assert parse_period(text, date(2026, 11, 23)).code == code


def test_parse_period_refusals_and_years():
    """Unclear text is refused with a hint; a bare year only where allowed; no year and no today is refused."""
    for bad in ("2026Q5", "明年", "", "H3"):
        with pytest.raises(ValueError):
            parse_period(bad, date(2026, 11, 23))
    with pytest.raises(ValueError):
        parse_period("2026", date(2026, 11, 23))
    assert parse_period("2026", None, allow_year=True).code == "2026"
    with pytest.raises(ValueError, match="年份"):
        parse_period("Q4", None)


def test_windows_in_a_quarter_and_a_half_year():
    """Monthly: three windows in a quarter, six in a half-year; quarterly: two in a half-year; a half-year cadence
    reported by quarter is one window covering the whole half."""
    q4, h2 = quarter(2026, 4), half(2026, 2)
    assert [w.label for w in windows(Cadence(per="month"), q4)] == ["10月", "11月", "12月"]
    assert len(windows(Cadence(per="month"), h2)) == 6
    assert [w.label for w in windows(Cadence(per="quarter"), h2)] == ["第三季度", "第四季度"]
    lecture = windows(Cadence(per="half"), q4)
    assert len(lecture) == 1 and (lecture[0].start, lecture[0].end) == (date(2026, 7, 1), date(2027, 1, 1))


def test_quarter_report_done_held_scheduled_open_and_missing():
    """Q4 on 23 Nov: the assembly held and approved is done; October's committee missing, November's held but its
    record waits, December's scheduled; the lecture held in August (same half-year) counts."""
    facts = [fact(A, date(2026, 10, 15)), fact(C, date(2026, 11, 5), MinutesState.SUBMITTED),
             fact(C, date(2026, 12, 8), MinutesState.NONE), fact(L, date(2026, 8, 20))]
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    reports = {r.kind: r for r in compliance(DEFAULT_CADENCES, quarter(2026, 4), facts, now, date(2026, 11, 23), [])}
    assert [w.state for w in reports[A].windows] == [WindowState.DONE]
    assert [w.state for w in reports[C].windows] == [WindowState.MISSING, WindowState.HELD, WindowState.SCHEDULED]
    assert reports[L].windows[0].state is WindowState.DONE and reports[L].complete
    assert reports[G].note == "no_groups" and reports[G].windows == []


def test_group_meetings_count_per_party_group_and_open_windows_are_still_possible():
    """党小组会 per group: 第一党小组 met in November, 第二党小组 did not yet — still possible until the month ends."""
    facts = [fact(G, date(2026, 11, 10), audience="group:第一党小组")]
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    report = compliance({G: Cadence(per="month")}, quarter(2026, 4), facts, now, date(2026, 11, 23),
                        ["第一党小组", "第二党小组"])[0]
    november = {w.target: w.state for w in report.windows if w.window.label == "11月"}
    assert november == {"第一党小组": WindowState.DONE, "第二党小组": WindowState.OPEN}


def test_half_year_report_and_quarterly_lecture_setting():
    """A branch with seed 002's quarterly 党课: H2 has two windows; one lecture in Q3 only leaves Q4 missing once over."""
    cadences = {L: Cadence(per="quarter")}
    facts = [fact(L, date(2026, 9, 1))]
    report = compliance(cadences, half(2026, 2), facts, datetime(2027, 1, 10, tzinfo=UTC), date(2027, 1, 10), [])[0]
    assert [w.state for w in report.windows] == [WindowState.DONE, WindowState.MISSING]


def test_twice_a_month_needs_two_and_zero_means_not_required():
    """times=2: one meeting is not enough (held, more needed); times=0 drops the kind from the report."""
    cadences = {G: Cadence(per="month", times=2), C: Cadence(per="month", times=0)}
    facts = [fact(G, date(2026, 10, 3), audience="group:一组")]
    reports = compliance(cadences, quarter(2026, 4), facts, datetime(2026, 10, 20, tzinfo=UTC), date(2026, 10, 20),
                         ["一组"])
    assert [r.kind for r in reports] == [G]
    assert reports[0].windows[0].state is WindowState.HELD


def test_warnings_after_mid_window_only_when_nothing_is_scheduled():
    """On 16 Dec the December committee meeting is not on the calendar: warned; a scheduled one silences it;
    before mid-month nothing; a window that began before the branch joined is left alone."""
    cadences = {C: Cadence(per="month"), A: Cadence(per="quarter")}
    warned = unscheduled_warnings(cadences, [], date(2026, 12, 16), [], since=date(2026, 11, 23))
    assert [(w.kind, w.window.label) for w in warned] == [(C, "12月")]
    assert unscheduled_warnings(cadences, [fact(C, date(2026, 12, 28), MinutesState.NONE)], date(2026, 12, 16), [],
                                since=date(2026, 11, 23)) == []
    assert unscheduled_warnings(cadences, [], date(2026, 12, 15), [], since=date(2026, 11, 23)) == []
    in_2027 = unscheduled_warnings(cadences, [], date(2027, 2, 20), [], since=date(2026, 11, 23))
    assert {(w.kind, w.window.label) for w in in_2027} == {(C, "2月"), (A, "第一季度")}
