"""Public holidays and 调休 (weekend days worked instead), from the maintained `chinese_calendar` package, with a
branch's own extra holidays and workdays on top — one calendar for the minutes deadline and the theme day (pure).

The package knows the years the State Council had published when it was released; a unit of the organisation tree
enters later years (or corrections) from the notice itself for its whole subtree (bot/domain/holiday_notice.py
reads it). Outside what anyone knows only weekends are days off, and `WorkCalendar.knows(year)` says so, so the bot
can tell people instead of pretending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

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


# The package's data is fixed once imported: its first and last years are worked out once, not on every day asked
# (each was a pass over every holiday it knows, 1,000-odd, per decision).
@cache
def _first_year() -> int:
    return int(min(day.year for day in chinese_calendar.holidays))


@cache
def _last_year() -> int:
    return int(max(day.year for day in chinese_calendar.holidays))


class DayKind(StrEnum):
    """A day that differs from the package's calendar: a day off, or a day worked."""

    OFF = "off"
    ON = "on"


DAY_KIND_LABELS = {DayKind.OFF: "放假", DayKind.ON: "上班"}

PACKAGE = "package"  # the source of a day the `chinese_calendar` package decides
BRANCH = "branch"  # the source of a branch's own day


@dataclass(frozen=True)
class CalendarLayer:
    """What a unit of the organisation tree entered for its subtree: stated days (with the festival a day off
    belongs to) and the whole years it entered from a notice — the other days of such a year are ordinary days
    (weekends off), whatever the layers above or the package say."""

    source: str  # the unit's name, shown where a day is explained
    days: Mapping[date, DayKind] = field(default_factory=dict)
    names: Mapping[date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Decision:
    working: bool
    source: str  # BRANCH, a unit's name, PACKAGE, or "" for a plain weekend/weekday of an unknown year
    holiday: str | None = None


@dataclass(frozen=True)
class WorkCalendar:
    """Working days, nearest rule first: the branch's own `extra_holidays` / `extra_workdays`, then the units'
    entries from the nearest unit up to the root (`layers`), then the package's holidays and 调休 where it knows
    the year, and weekends for years nobody knows — `knows(year)` says whether anyone does."""

    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()
    layers: tuple[CalendarLayer, ...] = ()

    @staticmethod
    def package_knows(year: int) -> bool:
        return _first_year() <= year <= _last_year()

    @staticmethod
    def last_known_year() -> int:
        """The last year the package knows (units may have entered later ones)."""
        return _last_year()

    def knows(self, year: int) -> bool:
        return any(year in layer.years for layer in self.layers) or self.package_knows(year)

    def source_of_year(self, year: int) -> str | None:
        """Whose arrangement decides `year`: the nearest unit that entered it, PACKAGE, or None (nobody)."""
        for layer in self.layers:
            if year in layer.years:
                return layer.source
        return PACKAGE if self.package_knows(year) else None

    def decide(self, day: date) -> Decision:
        if day in self.extra_workdays:
            return Decision(True, BRANCH)
        if day in self.extra_holidays:
            return Decision(False, BRANCH, "节假日")
        for layer in self.layers:
            kind = layer.days.get(day)
            if kind is not None:
                off = kind is DayKind.OFF
                return Decision(not off, layer.source, layer.names.get(day, "节假日") if off else None)
            if day.year in layer.years:
                return Decision(day.weekday() < 5, layer.source)
        if self.package_knows(day.year):
            off, name = chinese_calendar.get_holiday_detail(day)
            return Decision(not off, PACKAGE, HOLIDAY_LABELS.get(name, name) if off and name else None)
        return Decision(day.weekday() < 5, "")

    def is_working_day(self, day: date) -> bool:
        return self.decide(day).working

    def holiday_name(self, day: date) -> str | None:
        """The public holiday `day` belongs to (a weekend inside it too), or None; the branch's own holidays are
        named 节假日."""
        return self.decide(day).holiday

    def exceptions(self, year: int) -> list[tuple[date, DayKind, str]]:
        """The days of `year` that differ from an ordinary week — weekdays off, weekend days worked — with the
        source that decides each."""
        found = []
        day = date(year, 1, 1)
        while day.year == year:
            decision = self.decide(day)
            if decision.working != (day.weekday() < 5):
                found.append((day, DayKind.ON if decision.working else DayKind.OFF, decision.source))
            day += timedelta(days=1)
        return found

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


@dataclass(frozen=True)
class HolidaySpan:
    """One public holiday as the calendar publishes it: its name and its days off (weekends inside it too)."""

    name: str
    first: date
    last: date


@dataclass(frozen=True)
class NationalYear:
    """A year of the public calendar as a branch sees it: its holidays and its 调休 working weekends, who entered
    the arrangement (`source`: a unit's name or PACKAGE), or `known` False when nobody has (then only weekends are
    days off)."""

    year: int
    known: bool
    holidays: tuple[HolidaySpan, ...]
    swapped_workdays: tuple[date, ...]
    source: str | None = None


def national_year(year: int, calendar: WorkCalendar | None = None) -> NationalYear:
    """The public holidays of `year` grouped into spans by name, and its weekend days worked instead — by the
    units' entries of `calendar` (its branch's own days left out), else by the package."""
    public = WorkCalendar(layers=calendar.layers) if calendar else WorkCalendar()
    if not public.knows(year):
        return NationalYear(year, False, (), ())
    spans: list[HolidaySpan] = []
    swapped = []
    day = date(year, 1, 1)
    while day.year == year:
        decision = public.decide(day)
        if decision.holiday:
            if spans and spans[-1].name == decision.holiday and spans[-1].last + timedelta(days=1) == day:
                spans[-1] = HolidaySpan(decision.holiday, spans[-1].first, day)
            else:
                spans.append(HolidaySpan(decision.holiday, day, day))
        elif decision.working and day.weekday() >= 5:
            swapped.append(day)
        day += timedelta(days=1)
    return NationalYear(year, True, tuple(spans), tuple(swapped), public.source_of_year(year))


def with_own_day(holidays: list[date], workdays: list[date], day: date, kind: DayKind) -> tuple[list[date], list[date]]:
    """The branch's own days after adding `day` as a day off or a day worked (it leaves the other list)."""
    holidays = sorted({*holidays, day} if kind is DayKind.OFF else set(holidays) - {day})
    workdays = sorted({*workdays, day} if kind is DayKind.ON else set(workdays) - {day})
    return holidays, workdays
