"""Minutes (会议记录) rules: the branch's meeting rules, working days and the minutes deadline, reading a typed
date and time, and the form's fields with their limits — plain functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import when as when_rules
from bot.domain.cadence import DEFAULT_CADENCES, Cadence
from bot.domain.holidays import CalendarLayer, WorkCalendar
from bot.domain.meetings import MeetingKind


class MeetingRules(BaseModel):
    """A branch's 三会一课 settings; every field has the county default (DOMAIN.md, seed 000)."""

    model_config = ConfigDict(extra="ignore")

    minutes_working_days: int = Field(default=3, ge=1, le=15)
    remind_hour: int = Field(default=9, ge=7, le=21)  # the recorder's reminder on the last day, local time
    cadences: dict[MeetingKind, Cadence] = Field(default_factory=lambda: dict(DEFAULT_CADENCES))
    # The branch's own, on top of the national calendar (bot/domain/holidays.py): extra days off, extra days worked.
    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)
    checkin_before_min: int = Field(default=30, ge=0, le=240)
    # Which of the settings the units' policy governs (cadences, the minutes deadline) the branch chose itself:
    # bot/domain/policy.py. None: set before policies existed, when a value other than the default counts as chosen.
    own: list[str] | None = None


def is_working_day(day: date, holidays: frozenset[date] = frozenset(), workdays: frozenset[date] = frozenset()) -> bool:
    """A working day by the national calendar (holidays and 调休 from `chinese_calendar`, weekends where it does
    not know the year), with the branch's own extra holidays and swapped working weekends on top."""
    return WorkCalendar(holidays, workdays).is_working_day(day)


def add_working_days(day: date, count: int, holidays: frozenset[date] = frozenset(),
                     workdays: frozenset[date] = frozenset()) -> date:
    """The `count`-th working day after `day` (the meeting's own day does not count)."""
    return WorkCalendar(holidays, workdays).add_working_days(day, count)


def work_calendar(rules: MeetingRules, layers: tuple[CalendarLayer, ...] = ()) -> WorkCalendar:
    """The branch's calendar: its own extra holidays and workdays over the arrangements its units entered
    (`layers`, nearest first) over the package's."""
    return WorkCalendar(frozenset(rules.holidays), frozenset(rules.workdays), layers)


@dataclass(frozen=True)
class Deadline:
    due_day: date  # the last local day for handing in the minutes
    due_at: datetime  # the end of that day (local midnight after it)
    remind_at: datetime  # the recorder's reminder, the morning of the last day


def minutes_deadline(starts_at: datetime, tz: str, rules: MeetingRules,
                     layers: tuple[CalendarLayer, ...] = ()) -> Deadline:
    """Minutes are due by the end of the n-th working day after the meeting (branch setting, default 3), by the
    branch's calendar (its own days over its units' entries, `layers`)."""
    zone = ZoneInfo(tz)
    meeting_day = starts_at.astimezone(zone).date()
    due_day = work_calendar(rules, layers).add_working_days(meeting_day, rules.minutes_working_days)
    due_at = datetime.combine(due_day + timedelta(days=1), time(0, 0), tzinfo=zone)
    remind_at = datetime.combine(due_day, time(rules.remind_hour, 0), tzinfo=zone)
    return Deadline(due_day, due_at, remind_at)


def is_overdue(deadline: Deadline, now: datetime) -> bool:
    return now >= deadline.due_at


@dataclass(frozen=True)
class When:
    day: date
    start: time
    end: time


def parse_when(text: str, today: date, default_hours: int = 2) -> When:
    """The one reading of a typed date and time (bot.domain.when reads it; today's date stands for now), a missing end
    being `default_hours` later. ValueError when it is unclear, impossible, ambiguous or the end is not after the
    start. The services read with `when.read` and the real clock; this is the clock-free spelling."""
    result = when_rules.read(text, datetime.combine(today, time(0), tzinfo=ZoneInfo("UTC")), "UTC")
    if isinstance(result, when_rules.Refusal) or result.ambiguous:
        raise ValueError(text)
    reading = when_rules.with_default_end(result.readings[0], default_hours)
    assert reading.end is not None
    return When(reading.start.date(), reading.start.time(), reading.end.time())


def span_of(when: When, tz: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(tz)
    return datetime.combine(when.day, when.start, tzinfo=zone), datetime.combine(when.day, when.end, tzinfo=zone)


# The form's typed fields: name, label and the longest answer taken (a page of the record book each at most).
TEXT_FIELDS: dict[str, tuple[str, int]] = {
    "topic": ("会议主题", 100),
    "place": ("地点", 100),
    "host": ("主持人", 20),
    "recorder": ("记录人", 20),
    "agenda": ("议题", 500),
    "content": ("会议内容及讨论情况", 3000),
    "resolutions": ("决议", 1000),
    "criticism": ("批评意见", 1000),  # 组织生活会 only: "姓名：意见" lines, sent to the absentees named
}
# Fields long enough to be written in several messages: each is appended, until ▶️ 下一项.
LONG_FIELDS = ("agenda", "content", "resolutions")
PHOTOS_MAX = 20
# The order in which a new record asks; everything else is pre-filled.
ASK_ORDER = ("agenda", "content", "resolutions", "photos")


def append_part(so_far: str | None, part: str) -> str:
    """A long field written in several messages: the parts in the order sent, one per line."""
    return f"{so_far.rstrip()}\n{part}" if so_far and so_far.strip() else part


def next_step(content: dict[str, Any]) -> str:
    """The first field of the record still unanswered, else the preview."""
    if not content.get("confirmed"):
        return "confirm"
    for name in ASK_ORDER:
        if name == "photos":
            if not content.get("photos_done"):
                return "photos"
        elif content.get(name) is None:
            return name
    return "preview"


class Staff(BaseModel):
    meeting_id: int
    host_id: int | None
    recorder_id: int | None
    scheduled_by: int | None
