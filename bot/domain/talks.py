"""谈心谈话, 思想汇报 and 党性分析: the records and their pure rules (no I/O; time-dependent rules take `now`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain import dates
from bot.domain import when as when_rules

TOPIC_MAX = 200


class Talk(BaseModel):
    id: int
    branch_id: int
    member_id: int
    talker_id: int
    day: date
    topic: str
    created_at: datetime


@dataclass(frozen=True)
class TalkLine:
    day: date
    topic: str


class TalkLineError(ValueError):
    """Why a typed line cannot be a talk: `reason` is a code the templates word (empty, future, too_long)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_talk_line(text: str, now: datetime, tz: str) -> TalkLine:
    """"3月5日，工作和思想情况" → (March 5, the topic), read by bot.domain.when as a day already past; a line that
    does not open with a day is all topic, today; a day that cannot exist ("12月40日") is refused."""
    today = now.astimezone(ZoneInfo(tz)).date()
    read = when_rules.read_day_prefix(text or "", today, past=True)
    if isinstance(read, when_rules.Refusal):
        raise TalkLineError("bad_date")
    day, topic = read
    day = day or today
    if not topic:
        raise TalkLineError("empty")
    if len(topic) > TOPIC_MAX:
        raise TalkLineError("too_long")
    if day > today:
        raise TalkLineError("future")
    return TalkLine(day, topic)


def year_start(year: int) -> date:
    return date(year, 1, 1)


# --- thought reports ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    """One reporting period of `months` months (a quarter by default), as local dates [start, end)."""

    start: date
    end: date

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return dates.month_span(self.start, self.end - timedelta(days=1))


def _month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(day: date, months: int) -> Period:
    """The period containing `day`: periods start in January and are `months` long (1, 2, 3, 4, 6 or 12)."""
    first_month = (day.month - 1) // months * months + 1
    start = date(day.year, first_month, 1)
    return Period(start, _month_add(start, months))


def previous_period(period: Period, months: int) -> Period:
    return period_of(period.start - timedelta(days=1), months)


REPORT_REMIND_DAYS = 14  # a probationary member is asked two weeks before the period ends
REPORT_REMIND_AT = time(9, 0)


def report_reminder_at(period: Period, tz: str) -> datetime:
    """09:00 local, two weeks before the period ends (a period shorter than that: its first day)."""
    day = max(period.start, period.end - timedelta(days=REPORT_REMIND_DAYS))
    return datetime.combine(day, REPORT_REMIND_AT, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def period_end_at(period: Period, tz: str) -> datetime:
    return datetime.combine(period.end, time(0, 0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def report_overdue(last_report: date | None, member_since: date, today: date, months: int) -> bool:
    """A probationary member owes a report when a whole period they belonged to passed with none since it began."""
    previous = previous_period(period_of(today, months), months)
    if member_since > previous.start:
        return False
    return last_report is None or last_report < previous.start


# --- 党性分析 --------------------------------------------------------------------------------------------------------

def party_spirit_due(last: date | None, today: date, years: int) -> bool:
    """The self-evaluation asks for a 党性分析 when none was made in the last `years` years."""
    if last is None:
        return True
    try:
        limit = last.replace(year=last.year + years)
    except ValueError:  # 29 February
        limit = last.replace(year=last.year + years, day=28)
    return today >= limit


def local_day(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


# --- criticism addressed to absentees in a 组织生活会 record --------------------------------------------------------

_CRITICISM = re.compile(r"^\s*([^:：\s]{1,20})\s*[:：]\s*(.+?)\s*$")


def parse_criticism(text: str | None) -> dict[str, str]:
    """"姓名：意见" lines → {name: the criticism addressed to them}; several lines for one name are joined, lines in
    another form are left out."""
    found: dict[str, list[str]] = {}
    for line in (text or "").splitlines():
        if match := _CRITICISM.match(line):
            found.setdefault(match.group(1), []).append(match.group(2))
    return {name: "\n".join(parts) for name, parts in found.items()}
