"""Oversight of many branches (an officer's /overview): what storage hands over for the whole subtree at once, and
the pure rules that turn it into each branch's figures, the worst-first order and the monthly compliance grid —
plain functions of their inputs and `now`, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar

from pydantic import BaseModel

from bot.domain import cadence as rules
from bot.domain.cadence import MeetingFact, MinutesState, Period, WindowState
from bot.domain.holidays import CalendarLayer
from bot.domain.meetings import MeetingKind, parse_holds
from bot.domain.minutes import MeetingRules, is_overdue, minutes_deadline, work_calendar

SILENT_DAYS = 30  # 静默支部: no meeting and no submission in 30 days (DOMAIN.md, the county level)
PAGE_SIZE = 10
T = TypeVar("T")
GRID_ROWS = 40  # branches per heat-map image: more would be unreadable on a phone
GRID_MONTHS = 12
MINUTES_LOOKBACK_DAYS = 120


class BranchRow(BaseModel):
    """One branch of the subtree, with the counts a single query gives."""

    id: int
    name: str
    tz: str | None = None
    created_at: datetime
    unit_name: str
    active: int = 0
    secretaries: str | None = None  # names, 、-separated
    last_meeting_at: datetime | None = None  # the latest meeting already started (not called off)
    last_submission_at: datetime | None = None


class MeetingRow(BaseModel):
    """One meeting (not called off) of a branch of the subtree, with its record's state and attendance counts."""

    id: int
    branch_id: int
    kind: MeetingKind
    holds: str = ""  # 主题党日+: the 三会一课 kinds a theme day also holds
    starts_at: datetime
    audience: str = "all"
    period: str | None = None
    closed: bool = False
    minutes: MinutesState = MinutesState.NONE
    has_staff: bool = False  # a 三会一课 meeting scheduled with a recorder: its minutes have a deadline
    present: int = 0
    marked: int = 0  # attendance rows (after the close: everyone expected)


class EvaluationRow(BaseModel):
    branch_id: int
    year: int
    done: int  # self-evaluations handed in by active members


@dataclass
class SubtreeFacts:
    """Everything /overview needs for a subtree, from a handful of queries."""

    branches: list[BranchRow]
    meetings: dict[int, list[MeetingRow]]
    rules: dict[int, MeetingRules]
    groups: dict[int, list[str]]
    evaluations: dict[int, EvaluationRow]
    # The holiday arrangements each branch's units entered (nearest first), for the minutes deadline.
    layers: dict[int, tuple[CalendarLayer, ...]] = field(default_factory=dict)


class CadenceStatus:
    MET = "met"
    DUE = "due"  # the current window still open (nothing missed so far)
    AT_RISK = "at_risk"  # half the window gone and not even scheduled
    MISSED = "missed"  # a window of this period ended without the meetings


@dataclass
class BranchFigures:
    branch: BranchRow
    tz: str
    theme_day: str  # held / scheduled / none / new (none yet, in the month the branch joined part-way through)
    theme_rate: float | None  # share of members present at this month's theme day, once it has started
    cadences: dict[MeetingKind, str] = field(default_factory=dict)
    minutes_overdue: int = 0
    evaluation: EvaluationRow | None = None
    silent: bool = False

    @property
    def at_risk(self) -> list[MeetingKind]:
        return [k for k, s in self.cadences.items() if s == CadenceStatus.AT_RISK]

    @property
    def missed(self) -> list[MeetingKind]:
        return [k for k, s in self.cadences.items() if s == CadenceStatus.MISSED]

    @property
    def alert(self) -> bool:
        """What the officer's weekly digest names: silent, or about to miss a cadence."""
        return self.silent or bool(self.at_risk)

    @property
    def level(self) -> str:
        """silent, alert (missed or endangered cadences), minor (something else wanting) or ok."""
        if self.silent:
            return "silent"
        if self.missed or self.at_risk:
            return "alert"
        return "minor" if self.score else "ok"

    @property
    def score(self) -> int:
        """Badness, for the worst-first order: silence first, then missed and endangered cadences, overdue minutes,
        a theme day not held."""
        return (100 * self.silent + 10 * len(self.missed) + 5 * len(self.at_risk) + 3 * self.minutes_overdue
                + 2 * (self.theme_day == "none"))


def facts_of(meetings: list[MeetingRow], tz: str) -> list[MeetingFact]:
    """One fact per 三会一课 kind a meeting counts for: a theme day holding a 支部党员大会 counts as that."""
    return [MeetingFact(kind, rules.local_day(m.starts_at, tz), m.starts_at, m.audience, m.minutes, m.id)
            for m in meetings for kind in (m.kind, *parse_holds(m.holds)) if kind is not MeetingKind.THEME_DAY]


def month_code(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def _theme_day(meetings: list[MeetingRow], today: date, now: datetime, active: int,
               started: date) -> tuple[str, float | None]:
    """held / scheduled / none — or new: none yet in the month the branch joined part-way through (not wanting)."""
    this_month = [m for m in meetings if m.kind is MeetingKind.THEME_DAY and m.period == month_code(today)]
    if not this_month:
        return ("none" if lived_through(today.replace(day=1), started) else "new"), None
    meeting = this_month[0]
    if meeting.starts_at > now:
        return "scheduled", None
    expected = meeting.marked if meeting.closed and meeting.marked else active
    return "held", (meeting.present / expected if expected else None)


def _cadences(row: BranchRow, meetings: list[MeetingRow], settings: MeetingRules, groups: list[str], tz: str,
              now: datetime, layers: tuple[CalendarLayer, ...] = ()) -> dict[MeetingKind, str]:
    today = rules.local_day(now, tz)
    period = rules.quarter_of(today)
    facts = facts_of(meetings, tz)
    started = rules.local_day(row.created_at, tz)
    working = work_calendar(settings, layers).is_working_day  # a week without a working day asks no 专题学习
    risky = {w.kind for w in rules.unscheduled_warnings(settings.cadences, facts, today, groups, since=started,
                                                        working=working)}
    statuses = {}
    for report in rules.compliance(settings.cadences, period, facts, now, today, groups, working):
        if report.note:
            continue
        # Windows that ended before the branch started using zhibu may be on paper, and one it joined part-way
        # through (its first, partial month or quarter) it had no fair chance at: neither is "missed". A partial
        # window still counts as met once met, and as open until then.
        counted = [w for w in report.windows if w.window.end > started]
        if any(w.state is WindowState.MISSING and lived_through(w.window.start, started) for w in counted):
            statuses[report.kind] = CadenceStatus.MISSED
        elif report.kind in risky:
            statuses[report.kind] = CadenceStatus.AT_RISK
        elif all(w.state in (WindowState.DONE, WindowState.HELD) for w in counted if w.window.start <= today):
            statuses[report.kind] = CadenceStatus.MET
        else:
            statuses[report.kind] = CadenceStatus.DUE
    return statuses


def lived_through(window_start: date, started: date) -> bool:
    """Whether the branch existed for the whole of a window that began on `window_start` (it started using zhibu
    on `started`): only such windows can be missed — as unscheduled_warnings leaves the others alone."""
    return window_start >= started


def _overdue_minutes(meetings: list[MeetingRow], settings: MeetingRules, tz: str, now: datetime,
                     layers: tuple[CalendarLayer, ...] = ()) -> int:
    since = now - timedelta(days=MINUTES_LOOKBACK_DAYS)
    editable = (MinutesState.NONE, MinutesState.DRAFT, MinutesState.RETURNED)
    return sum(1 for m in meetings if m.has_staff and since <= m.starts_at <= now and m.minutes in editable
               and is_overdue(minutes_deadline(m.starts_at, tz, settings, layers), now))


def is_silent(row: BranchRow, now: datetime) -> bool:
    """No meeting and no submission in 30 days — a branch younger than that has not had the chance yet."""
    since = now - timedelta(days=SILENT_DAYS)
    if row.created_at > since:
        return False
    latest = max((t for t in (row.last_meeting_at, row.last_submission_at) if t is not None), default=None)
    return latest is None or latest < since


def figures(facts: SubtreeFacts, default_tz: str, now: datetime) -> list[BranchFigures]:
    """Every branch's figures, worst first (ties: lower theme-day attendance, then name)."""
    found = []
    for row in facts.branches:
        tz = row.tz or default_tz
        meetings = facts.meetings.get(row.id, [])
        settings = facts.rules.get(row.id) or MeetingRules()
        started = rules.local_day(row.created_at, tz)
        theme, rate = _theme_day(meetings, rules.local_day(now, tz), now, row.active, started)
        found.append(BranchFigures(
            branch=row, tz=tz, theme_day=theme, theme_rate=rate,
            cadences=_cadences(row, meetings, settings, facts.groups.get(row.id, []), tz, now,
                               facts.layers.get(row.id, ())),
            minutes_overdue=_overdue_minutes(meetings, settings, tz, now, facts.layers.get(row.id, ())),
            evaluation=facts.evaluations.get(row.id), silent=is_silent(row, now)))
    return sorted(found, key=lambda f: (-f.score, 1.0 if f.theme_rate is None else f.theme_rate, f.branch.name))


def page_of(items: list[T], page: int, size: int = PAGE_SIZE) -> tuple[list[T], int, int]:
    """(the items of the page, the page actually shown, the number of pages); a page past the end shows the last."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def last_months(today: date, count: int = GRID_MONTHS) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [date((i) // 12, i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def months_period(months: list[date]) -> Period:
    last = months[-1]
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return Period("", "", months[0], end)


def compliance_grid(row: BranchRow, meetings: list[MeetingRow], settings: MeetingRules, groups: list[str], tz: str,
                    now: datetime, months: list[date], layers: tuple[CalendarLayer, ...] = ()) -> list[float | None]:
    """Per month, the share of requirements met among those whose window ends in that month (the theme day
    counts as a monthly one). A window still running counts only once met, and so does one the branch joined
    part-way through (its first, partial month): it was not there for all of it. A month with nothing to judge —
    before the branch started, its first month with nothing met, or everything still running and unmet — is None
    (grey, "—": not applicable), never 0."""
    today = rules.local_day(now, tz)
    started = rules.local_day(row.created_at, tz)
    period = months_period(months)
    judged: dict[date, list[bool]] = {m: [] for m in months}

    def judge(start: date, end: date, met: bool) -> None:
        last_day = end - timedelta(days=1)
        key = date(last_day.year, last_day.month, 1)
        if key in judged and end > started and (met or (today >= end and lived_through(start, started))):
            judged[key].append(met)

    working = work_calendar(settings, layers).is_working_day
    for report in rules.compliance(settings.cadences, period, facts_of(meetings, tz), now, today, groups, working):
        for w in report.windows:
            judge(w.window.start, w.window.end, w.state in (WindowState.DONE, WindowState.HELD))
    theme_months = {m.period for m in meetings if m.kind is MeetingKind.THEME_DAY and m.period and m.starts_at <= now}
    for month in months:
        end = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        judge(month, end, month_code(month) in theme_months)
    return [sum(v) / len(v) if v else None for v in (judged[m] for m in months)]


def attendance_by_month(meetings: list[MeetingRow], months: list[date], tz: str, now: datetime,
                        active: int) -> list[float | None]:
    """Per month, the share present over all meetings that started in it (theme days and 三会一课 for everyone)."""
    rates = []
    for month in months:
        present = expected = 0
        for m in meetings:
            day = rules.local_day(m.starts_at, tz)
            if (day.year, day.month) != (month.year, month.month) or m.starts_at > now or m.audience != "all":
                continue
            present += m.present
            expected += m.marked if m.closed and m.marked else active
        rates.append(present / expected if expected else None)
    return rates


# --- officers' notices to their subtree ---------------------------------------------------------------------

class OfficerNotice(BaseModel):
    id: int
    unit_id: int
    author_telegram_id: int
    author_name: str = ""
    body: str
    audience: str = "secretaries"  # or 'members'
    status: str = "draft"
    created_at: datetime
    sent_at: datetime | None = None


class BranchReads(BaseModel):
    branch_id: int
    name: str
    recipients: int
    read: int

    @property
    def rate(self) -> float:
        return self.read / self.recipients if self.recipients else 1.0
