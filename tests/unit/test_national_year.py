"""The year's national calendar as /settings → 🗓 节假日 shows it, and the branch's own days added on top."""

from datetime import date

from bot.domain.holidays import DayKind, WorkCalendar, national_year, with_own_day


def test_a_known_year_lists_each_holiday_once_as_a_span_and_its_working_weekends():
    """2026: 国庆节 is one span 10月1日–10月7日; the 调休 weekends worked (e.g. 10月10日, a Saturday) are listed."""
    year = national_year(2026)
    assert year.known
    spans = {s.name: (s.first, s.last) for s in year.holidays}
    assert spans["国庆节"] == (date(2026, 10, 1), date(2026, 10, 7))
    assert len([s for s in year.holidays if s.name == "国庆节"]) == 1
    assert date(2026, 10, 10) in year.swapped_workdays
    assert all(d.weekday() >= 5 for d in year.swapped_workdays)


def test_a_year_beyond_the_calendar_says_so_and_lists_nothing():
    """Beyond the published years nothing is invented: not known, no holidays, no 调休."""
    year = national_year(WorkCalendar.last_known_year() + 1)
    assert not year.known and year.holidays == () and year.swapped_workdays == ()


def test_adding_a_day_of_one_kind_takes_it_out_of_the_other():
    """A day is the branch's own day off or its own day worked, never both; adding twice keeps one."""
    day = date(2027, 1, 2)
    holidays, workdays = with_own_day([], [day], day, DayKind.OFF)
    assert (holidays, workdays) == ([day], [])
    assert with_own_day(holidays, workdays, day, DayKind.OFF) == ([day], [])
    assert with_own_day(holidays, workdays, day, DayKind.ON) == ([], [day])
