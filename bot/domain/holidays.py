"""Public holidays and 调休 (weekend days worked instead), from the maintained `chinese_calendar` package, with a
branch's own extra holidays and workdays on top — one calendar for the minutes deadline and the theme day (pure).

The package knows the years the State Council has published; outside them only weekends are days off, and
`WorkCalendar.knows(year)` says so, so the bot can tell the secretary instead of pretending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar

# The package's names of the holidays, in the words the bot uses.
HOLIDAY_LABELS = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


class HolidayMove(StrEnum):
    """What a branch does when its theme day falls on a public holiday (a branch setting)."""

    NEXT_WORKDAY = "next_workday"
    PREVIOUS_WORKDAY = "previous_workday"
    KEEP = "keep"


MOVE_LABELS = {HolidayMove.NEXT_WORKDAY: "顺延到节后第一个工作日", HolidayMove.PREVIOUS_WORKDAY: "提前到节前最后一个工作日",
               HolidayMove.KEEP: "不调整"}


def _first_year() -> int:
    return int(min(day.year for day in chinese_calendar.holidays))


def _last_year() -> int:
    return int(max(day.year for day in chinese_calendar.holidays))


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: the package's holidays and 调休 where it knows the year, weekends elsewhere, and the
    branch's own `extra_holidays` / `extra_workdays` over both."""

    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()

    @staticmethod
    def knows(year: int) -> bool:
        return _first_year() <= year <= _last_year()

    @staticmethod
    def last_known_year() -> int:
        return _last_year()

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if self.knows(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The public holiday `day` belongs to (a weekend inside it too), or None; the branch's own holidays are
        named 节假日."""
        if day in self.extra_workdays:
            return None
        if day in self.extra_holidays:
            return "节假日"
        if not self.knows(day.year):
            return None
        off, name = chinese_calendar.get_holiday_detail(day)
        return HOLIDAY_LABELS.get(name, name) if off and name else None

    def next_working_day(self, day: date, step: int = 1) -> date:
        current = day + timedelta(days=step)
        while not self.is_working_day(current):
            current += timedelta(days=step)
        return current

    def add_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself does not count)."""
        current = day
        for _ in range(count):
            current = self.next_working_day(current)
        return current


@dataclass(frozen=True)
class ThemeDayDate:
    """A theme day's date after the holiday rule: `day`, and where it came from when it moved."""

    day: date
    planned: date  # the rule's own date
    holiday: str | None  # the holiday the rule's date fell on (None: not on one)
    known: bool  # the holiday calendar covers the year (else only weekends were considered)

    @property
    def moved(self) -> bool:
        return self.day != self.planned


def theme_day_date(planned: date, calendar: WorkCalendar, move: HolidayMove) -> ThemeDayDate:
    """The rule's date, or — when it is a public holiday — the working day the branch's setting moves it to.

    Only holidays move it: a monthday rule that lands on a plain weekend stays (the branch chose that day)."""
    holiday = calendar.holiday_name(planned)
    known = calendar.knows(planned.year)
    if holiday is None or move is HolidayMove.KEEP:
        return ThemeDayDate(planned, planned, holiday, known)
    step = -1 if move is HolidayMove.PREVIOUS_WORKDAY else 1
    return ThemeDayDate(calendar.next_working_day(planned, step), planned, holiday, known)


class DayKind(StrEnum):
    """A branch's own day on top of the national calendar: an extra day off, or a day worked."""

    OFF = "off"
    ON = "on"


DAY_KIND_LABELS = {DayKind.OFF: "放假", DayKind.ON: "上班"}


@dataclass(frozen=True)
class HolidaySpan:
    """One public holiday as the calendar publishes it: its name and its days off (weekends inside it too)."""

    name: str
    first: date
    last: date


@dataclass(frozen=True)
class NationalYear:
    """A year of the national calendar: its holidays and its 调休 working weekends, or `known` False when the
    package has no schedule for the year (then only weekends are days off)."""

    year: int
    known: bool
    holidays: tuple[HolidaySpan, ...]
    swapped_workdays: tuple[date, ...]


def national_year(year: int) -> NationalYear:
    """The public holidays of `year` grouped into spans by name, and its weekend days worked instead."""
    if not WorkCalendar.knows(year):
        return NationalYear(year, False, (), ())
    spans: list[HolidaySpan] = []
    for day in sorted(d for d in chinese_calendar.holidays if d.year == year):
        name = HOLIDAY_LABELS.get(chinese_calendar.holidays[day], chinese_calendar.holidays[day])
        if spans and spans[-1].name == name and spans[-1].last + timedelta(days=1) == day:
            spans[-1] = HolidaySpan(name, spans[-1].first, day)
        else:
            spans.append(HolidaySpan(name, day, day))
    swapped = tuple(sorted(d for d in chinese_calendar.workdays if d.year == year and d.weekday() >= 5))
    return NationalYear(year, True, tuple(spans), swapped)


def with_own_day(holidays: list[date], workdays: list[date], day: date, kind: DayKind) -> tuple[list[date], list[date]]:
    """The branch's own days after adding `day` as a day off or a day worked (it leaves the other list)."""
    holidays = sorted({*holidays, day} if kind is DayKind.OFF else set(holidays) - {day})
    workdays = sorted({*workdays, day} if kind is DayKind.ON else set(workdays) - {day})
    return holidays, workdays
