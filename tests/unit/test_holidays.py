"""The national holiday calendar (chinese_calendar) under the theme day and the minutes deadline: National Day and
Spring Festival 2025–2027, 调休, the branch's own extra days, and years the package does not know."""

from __future__ import annotations

from datetime import date

from bot.domain import calendar
from bot.domain.calendar import ThemeDayRule
from bot.domain.holidays import HolidayMove, WorkCalendar, theme_day_date
from bot.domain.minutes import add_working_days

FIRST_THURSDAY = ThemeDayRule()
NATIONAL = WorkCalendar()


def test_national_day_2025_first_thursday_moves_to_the_thursday_after_the_holiday():
    """2 Oct 2025 (the first Thursday) is in the National Day week (1–8 Oct): next working day 9 Oct, or the
    previous one, 30 Sep; a branch that keeps its day keeps it."""
    planned = calendar.occurrence(FIRST_THURSDAY, 2025, 10)
    assert planned == date(2025, 10, 2)
    moved = theme_day_date(planned, NATIONAL, HolidayMove.NEXT_WORKDAY)
    assert moved.day == date(2025, 10, 9) and moved.moved and moved.holiday == "国庆节" and moved.known
    assert theme_day_date(planned, NATIONAL, HolidayMove.PREVIOUS_WORKDAY).day == date(2025, 9, 30)
    assert theme_day_date(planned, NATIONAL, HolidayMove.KEEP).day == planned


def test_national_day_2026_moves_to_8_october_and_the_swapped_saturday_is_a_working_day():
    """1 Oct 2026 is the first Thursday and National Day itself: moved to Thursday 8 Oct; Saturday 10 Oct is worked
    (调休), so the minutes of a meeting on Friday 9 Oct are due on Tuesday 13 Oct, not Wednesday."""
    moved = theme_day_date(calendar.occurrence(FIRST_THURSDAY, 2026, 10), NATIONAL, HolidayMove.NEXT_WORKDAY)
    assert moved.planned == date(2026, 10, 1) and moved.day == date(2026, 10, 8)
    assert NATIONAL.is_working_day(date(2026, 10, 10))
    assert add_working_days(date(2026, 10, 9), 3) == date(2026, 10, 13)


def test_2027_is_beyond_the_package_weekends_only_and_it_says_so():
    """The package knows no 2027 holidays yet: 7 Oct 2027 (first Thursday) stays, the calendar says it does not
    know the year, and only weekends are days off — a branch can add the holidays itself."""
    assert not WorkCalendar().knows(2027) and WorkCalendar.last_known_year() >= 2026
    dated = theme_day_date(calendar.occurrence(FIRST_THURSDAY, 2027, 10), NATIONAL, HolidayMove.NEXT_WORKDAY)
    assert dated.day == date(2027, 10, 7) and not dated.moved and not dated.known
    assert NATIONAL.is_working_day(date(2027, 10, 1)) and not NATIONAL.is_working_day(date(2027, 10, 2))
    own = WorkCalendar(extra_holidays=frozenset({date(2027, 10, 7)}))
    assert theme_day_date(date(2027, 10, 7), own, HolidayMove.NEXT_WORKDAY).day == date(2027, 10, 8)


def test_spring_festival_2025_2026_and_2027():
    """Spring Festival: the last Thursday of Jan 2025 (30 Jan) moves to Wednesday 5 Feb; the third Thursday of
    Feb 2026 (19 Feb) to Tuesday 24 Feb; the 5th of the month rule is untouched in 2026 (a working Thursday); in
    2027 the package knows nothing, so 11 Feb 2027 stays."""
    last_thursday = ThemeDayRule(nth=-1)
    assert theme_day_date(calendar.occurrence(last_thursday, 2025, 1), NATIONAL,
                          HolidayMove.NEXT_WORKDAY).day == date(2025, 2, 5)
    third = ThemeDayRule(nth=3)
    moved = theme_day_date(calendar.occurrence(third, 2026, 2), NATIONAL, HolidayMove.NEXT_WORKDAY)
    assert moved.planned == date(2026, 2, 19) and moved.day == date(2026, 2, 24) and moved.holiday == "春节"
    fifth = ThemeDayRule(mode="monthday", day=5)
    assert not theme_day_date(calendar.occurrence(fifth, 2026, 2), NATIONAL, HolidayMove.NEXT_WORKDAY).moved
    assert not theme_day_date(date(2027, 2, 11), NATIONAL, HolidayMove.NEXT_WORKDAY).moved
    assert NATIONAL.is_working_day(date(2025, 1, 26))  # a Sunday worked before the Spring Festival 2025


def test_a_plain_weekend_does_not_move_a_monthday_theme_day_and_the_branch_can_override():
    """5 Dec 2026 is a Saturday but no holiday: it stays. A branch's extra workday counts as working."""
    fifth = ThemeDayRule(mode="monthday", day=5)
    assert not theme_day_date(calendar.occurrence(fifth, 2026, 12), NATIONAL, HolidayMove.NEXT_WORKDAY).moved
    assert WorkCalendar(extra_workdays=frozenset({date(2026, 10, 3)})).is_working_day(date(2026, 10, 3))
