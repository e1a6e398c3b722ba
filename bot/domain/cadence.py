"""三会一课 cadence and compliance (三会一课完成情况): periods, the windows a cadence asks for, and what each
window holds — plain functions of their inputs and `now`, no I/O.

A cadence is "n times per week / fortnight / month / quarter / half-year / year". A report covers a quarter or a
half-year; each required meeting is counted in its own windows inside it (a monthly 支委会 has three windows in a
quarter), and a cadence coarser than the report (a 党课 once a half-year, reported by quarter) is judged over its
whole window. Weeks are ISO weeks (Monday to Sunday, numbered as ISO 8601 does, so 2026年第53周 ends on 2027-01-03);
fortnights are two such weeks counted from a fixed Monday, so they run on across a new year. A week or fortnight
reaching over a report's edge belongs to both reports. A window without a single working day (the Spring Festival
week) asks for nothing: nobody holds a weekly 专题学习 in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from bot.domain import dates
from bot.domain.meetings import MeetingKind

MONTHS_PER = {"month": 1, "quarter": 3, "half": 6, "year": 12}
DAYS_PER = {"week": 7, "fortnight": 14}  # the cadences counted in days, not calendar months
PER_YEAR = {"week": 52, "fortnight": 26, "month": 12, "quarter": 4, "half": 2, "year": 1}  # windows in a year
PER_LABELS = {"week": "每周", "fortnight": "每两周", "month": "每月", "quarter": "每季度", "half": "每半年", "year": "每年"}
FORTNIGHT_EPOCH = date(2001, 1, 1)  # a Monday: fortnights are counted from it, the same ones every year


class Cadence(BaseModel):
    per: str = Field(default="quarter", pattern="^(week|fortnight|month|quarter|half|year)$")
    times: int = Field(default=1, ge=0, le=10)  # 0: not required in this branch

    @property
    def label(self) -> str:
        return f"{PER_LABELS[self.per]}至少 {self.times} 次"


# 支部工作条例: 支部党员大会 once a quarter, 支委会 and 党小组会 monthly, 党课 once every half year (DOMAIN.md),
# 组织生活会 一般每年召开 1 次 (once a year; a branch that holds it twice sets that in /settings).
DEFAULT_CADENCES: dict[MeetingKind, Cadence] = {
    MeetingKind.ASSEMBLY: Cadence(per="quarter"),
    MeetingKind.COMMITTEE: Cadence(per="month"),
    MeetingKind.GROUP: Cadence(per="month"),
    MeetingKind.LECTURE: Cadence(per="half"),
    MeetingKind.LIFE: Cadence(per="year"),
    # 专题学习 is asked where a unit's policy or the branch asks it (每周 in seed 002's county), not by the 条例.
    MeetingKind.STUDY: Cadence(per="week", times=0),
}


@dataclass(frozen=True)
class Period:
    """A reporting period in local dates: [start, end)."""

    label: str  # 2026年第四季度
    code: str  # 2026Q4
    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    return Period(dates.quarter(year, q), f"{year}Q{q}", start, _add_months(start, 3))


def half(year: int, h: int) -> Period:
    start = date(year, 1 if h == 1 else 7, 1)
    return Period(dates.half_year(year, h), f"{year}H{h}", start, _add_months(start, 6))


def whole_year(year: int) -> Period:
    return Period(dates.year(year), f"{year}", date(year, 1, 1), date(year + 1, 1, 1))


def quarter_of(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


_QUARTER = re.compile(r"^(?:(\d{4})(?:年)?)?(?:Q|第)?([1-4一二三四])(?:季度)?$", re.IGNORECASE)
_HALF = re.compile(r"^(?:(\d{4})(?:年)?)?(?:H([12])|([上下])半年)$", re.IGNORECASE)


def _year(written: str | None, today: date | None, hint: str) -> int:
    """The year written, else today's; ValueError with `hint` when there is neither."""
    if written:
        return int(written)
    if today is None:
        raise ValueError(hint)
    return today.year


def parse_period(text: str, today: date | None, allow_year: bool = False) -> Period:
    """'2026Q4', 'Q4', '4', '2026年第四季度', '2026H2', '下半年' (and '2026' if allowed); a missing year is today's
    (without `today` the year must be written). ValueError (with a Chinese hint) when unclear."""
    cleaned = re.sub(r"\s+", "", text or "").upper().replace("Ｑ", "Q").replace("Ｈ", "H")
    if allow_year and re.fullmatch(r"\d{4}", cleaned):
        year = int(cleaned)
        if 2000 <= year <= 2100:
            return whole_year(year)
    if match := _HALF.match(cleaned):
        year = _year(match.group(1), today, "请写明年份，如 2026H2")
        h = int(match.group(2)) if match.group(2) else (1 if match.group(3) == "上" else 2)
        if 2000 <= year <= 2100:
            return half(year, h)
    if match := _QUARTER.match(cleaned):
        year = _year(match.group(1), today, "请写明年份，如 2026Q4")
        q = match.group(2)
        q = int(q) if q.isdigit() else dates.QUARTERS.index(q) + 1
        if 2000 <= year <= 2100:
            return quarter(year, q)
    raise ValueError("请写季度或半年，如 2026Q4、2026H2" + ("、2026" if allow_year else ""))


@dataclass(frozen=True)
class Window:
    """One stretch of time in which a cadence asks for `times` meetings."""

    label: str  # 12月, 第四季度, 下半年
    start: date
    end: date


def week_start(day: date) -> date:
    """The Monday of the ISO week that holds `day`."""
    return day - timedelta(days=day.weekday())


def fortnight_start(day: date) -> date:
    """The first Monday of the fortnight that holds `day` (fortnights counted from FORTNIGHT_EPOCH)."""
    return day - timedelta(days=(day - FORTNIGHT_EPOCH).days % 14)


def _window_label(start: date, per: str) -> str:
    if per == "week":
        iso = start.isocalendar()
        return f"{dates.year(iso.year)}第{iso.week}周（{dates.month_day(start)}—{dates.month_day(start + timedelta(days=6))}）"
    if per == "fortnight":
        return f"{dates.month_day(start)}—{dates.month_day(start + timedelta(days=13))}"
    if per == "month":
        return dates.month(start)
    if per == "quarter":
        return dates.quarter_name((start.month - 1) // 3 + 1)
    if per == "half":
        return dates.half_name(1 if start.month == 1 else 2)
    return dates.year(start.year)


def windows(cadence: Cadence, period: Period) -> list[Window]:
    """The cadence's windows that overlap the period (a coarser window reaches beyond it)."""
    if cadence.per in DAYS_PER:
        return _day_windows(cadence.per, period)
    step = MONTHS_PER[cadence.per]
    # Windows are aligned to the calendar: months, quarters from Jan/Apr/Jul/Oct, halves from Jan/Jul.
    first_month = ((period.start.month - 1) // step) * step + 1
    start = date(period.start.year, first_month, 1)
    found = []
    while start < period.end:
        end = _add_months(start, step)
        found.append(Window(_window_label(start, cadence.per), start, end))
        start = end
    return found


def _day_windows(per: str, period: Period) -> list[Window]:
    """Weeks or fortnights overlapping the period: the first may begin before it, the last end after it."""
    step = timedelta(days=DAYS_PER[per])
    start = week_start(period.start) if per == "week" else fortnight_start(period.start)
    found = []
    while start < period.end:
        found.append(Window(_window_label(start, per), start, start + step))
        start += step
    return found


def by_days(cadences: dict[MeetingKind, Cadence]) -> bool:
    """Whether any required cadence counts weeks or fortnights: only those can fall wholly in a holiday, so only then
    is the branch's calendar worth reading."""
    return any(c.times > 0 and c.per in DAYS_PER for c in cadences.values())


def asks_nothing(window: Window, working: Callable[[date], bool] | None) -> bool:
    """A window with no working day at all (by the branch's calendar) is not demanded; without a calendar every
    window is."""
    if working is None:
        return False
    day = window.start
    while day < window.end:
        if working(day):
            return False
        day += timedelta(days=1)
    return True


class MinutesState(StrEnum):
    NONE = "none"  # nothing written yet
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True)
class MeetingFact:
    """What compliance needs to know about one meeting."""

    kind: MeetingKind
    day: date  # local date of the start
    starts_at: datetime
    audience: str
    minutes: MinutesState = MinutesState.NONE
    meeting_id: int = 0


class WindowState(StrEnum):
    DONE = "done"  # held the required number of times, every record approved
    HELD = "held"  # held, but a record still waits (not written / not approved)
    SCHEDULED = "scheduled"  # not yet held, but a meeting is on the calendar
    OPEN = "open"  # nothing yet, still possible in the window
    MISSING = "missing"  # the window is over without the meetings


@dataclass
class WindowReport:
    window: Window
    target: str | None  # the party group, for 党小组会
    held: list[MeetingFact] = field(default_factory=list)
    scheduled: list[MeetingFact] = field(default_factory=list)
    state: WindowState = WindowState.OPEN

    @property
    def approved(self) -> int:
        return sum(1 for f in self.held if f.minutes is MinutesState.APPROVED)


@dataclass
class KindReport:
    kind: MeetingKind
    cadence: Cadence
    windows: list[WindowReport]
    note: str | None = None  # e.g. no party groups in this branch

    @property
    def complete(self) -> bool:
        return all(w.state is WindowState.DONE for w in self.windows)


def window_state(held: list[MeetingFact], scheduled: list[MeetingFact], times: int, window_over: bool) -> WindowState:
    if len(held) >= times:
        approved = sum(1 for f in held if f.minutes is MinutesState.APPROVED)
        return WindowState.DONE if approved >= times else WindowState.HELD
    if len(held) + len(scheduled) >= times:
        return WindowState.SCHEDULED
    return WindowState.MISSING if window_over else (WindowState.HELD if held else WindowState.OPEN)


def _matches(fact: MeetingFact, kind: MeetingKind, target: str | None) -> bool:
    return fact.kind is kind and (target is None or fact.audience == f"group:{target}")


def compliance(cadences: dict[MeetingKind, Cadence], period: Period, facts: list[MeetingFact], now: datetime,
               today: date, groups: list[str], working: Callable[[date], bool] | None = None) -> list[KindReport]:
    """Per required meeting kind, each window's state: held and approved, scheduled, still open, or missing.
    A meeting counts as held once it has started; 党小组会 are counted per party group; a window without a working
    day (`working`: the branch's calendar) is left out unless something was held or scheduled in it."""
    reports = []
    for kind, cadence in cadences.items():
        if cadence.times <= 0:
            continue
        if kind is MeetingKind.GROUP and not groups:
            reports.append(KindReport(kind, cadence, [], note="no_groups"))
            continue
        targets: list[str | None] = list(groups) if kind is MeetingKind.GROUP else [None]
        rows = []
        for window in windows(cadence, period):
            for target in targets:
                inside = [f for f in facts if _matches(f, kind, target) and window.start <= f.day < window.end]
                if not inside and asks_nothing(window, working):
                    continue
                held = [f for f in inside if f.starts_at <= now]
                scheduled = [f for f in inside if f.starts_at > now]
                report = WindowReport(window, target, held, scheduled)
                report.state = window_state(held, scheduled, cadence.times, window_over=today >= window.end)
                rows.append(report)
        reports.append(KindReport(kind, cadence, rows))
    return reports


@dataclass(frozen=True)
class GroupDays:
    """A party group's own theme days in a period (seed 002: 以党支部或党员片区（网格）党小组为基本单位)."""

    group: str
    held: list[date]
    scheduled: list[date]


def group_days(facts: list[MeetingFact], period: Period, groups: list[str], now: datetime) -> list[GroupDays]:
    """Each party group's own theme days in the period, held (started by `now`) and still to come; a group that
    is gone but held one is listed too. Empty when no group held or planned any (the branch holds them itself)."""
    found: dict[str, GroupDays] = {g: GroupDays(g, [], []) for g in groups}
    for fact in sorted(facts, key=lambda f: f.starts_at):
        if fact.kind is not MeetingKind.THEME_DAY or not fact.audience.startswith("group:") \
                or not period.contains(fact.day):
            continue
        group = fact.audience.split(":", 1)[1]
        row = found.setdefault(group, GroupDays(group, [], []))
        (row.held if fact.starts_at <= now else row.scheduled).append(fact.day)
    rows = list(found.values())
    return rows if any(r.held or r.scheduled for r in rows) else []


@dataclass(frozen=True)
class Warning:
    kind: MeetingKind
    window: Window
    target: str | None

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.window.start.isoformat()}:{self.target or ''}"


def unscheduled_warnings(cadences: dict[MeetingKind, Cadence], facts: list[MeetingFact], today: date,
                         groups: list[str], since: date,
                         working: Callable[[date], bool] | None = None) -> list[Warning]:
    """Required meetings not even scheduled although their window is half gone (a week's on its Thursday).
    Windows that began before `since` (the branch started using zhibu) are left alone: their meetings may be on
    paper; so is a window without a working day (`working`: the branch's calendar)."""
    warnings = []
    for kind, cadence in cadences.items():
        if cadence.times <= 0 or (kind is MeetingKind.GROUP and not groups):
            continue
        targets: list[str | None] = list(groups) if kind is MeetingKind.GROUP else [None]
        current = [w for w in windows(cadence, Period("", "", today, today + timedelta(days=1)))]
        for window in current:
            middle = window.start + (window.end - window.start) / 2
            if window.start < since or today < middle or today >= window.end or asks_nothing(window, working):
                continue
            for target in targets:
                count = sum(1 for f in facts if _matches(f, kind, target) and window.start <= f.day < window.end)
                if count < cadence.times:
                    warnings.append(Warning(kind, window, target))
    return warnings


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


def local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(tz))
