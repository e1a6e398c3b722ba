"""The six-month alarm (pure rules): 党章 article 9 — a member who, without proper reason, takes no part in
organisational life or pays no dues for six months is treated as having left the party. Branches must notice long
before: at four months the secretary is warned, at six the secretary and the unit's officers are alarmed, with the
facts (which meetings were missed, which months are unpaid).

- No organisational life: since the member's last meeting attended (or since their records began here, or the end
  of their latest standing leave — approved leave is a reason), they were absent without leave from every meeting
  they were expected at, and there was at least one. A branch that held no meeting is not the member's lapse.
- No dues: the months before this one, back to the last month paid (reported or confirmed), not counting months
  spent on standing leave or before the member's records began.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

WARN_MONTHS, ALARM_MONTHS = 4, 6


class Resolution(StrEnum):
    TALK = "talk"  # the secretary recorded a 谈心谈话
    RETURNED = "returned"  # the member took part or paid again (zhibu saw it)
    ILLNESS = "illness"  # 患病、住院
    ELDERLY = "elderly"  # 年老体弱、行动不便
    AWAY = "away"  # 外出务工或学习，已联系上
    OTHER = "other"  # 其他正当理由


REASONS = (Resolution.ILLNESS, Resolution.ELDERLY, Resolution.AWAY, Resolution.OTHER)


class Alarm(BaseModel):
    """A member's alarm: raised at a level (months) with the facts, until resolved."""

    id: int
    member_id: int
    branch_id: int
    level: int
    facts: dict[str, Any]
    raised_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None


@dataclass
class Record:
    """What zhibu knows of one member: when their records began, the closed meetings they were expected at
    (day, meeting name, presence), the periods paid, their standing leave (first and last day)."""

    joined: date
    meetings: list[tuple[date, str, str]] = field(default_factory=list)
    paid: set[str] = field(default_factory=set)
    away: list[tuple[date, date]] = field(default_factory=list)


@dataclass
class Lapse:
    level: int  # 0, WARN_MONTHS or ALARM_MONTHS
    life_months: int
    dues_months: int
    missed: list[tuple[str, str]]  # (day, meeting) missed since the last attended, ISO days
    unpaid: list[str]  # the periods unpaid, oldest first


def months_between(start: date, today: date) -> int:
    """Whole months from `start` to `today` (23 November → 23 March is four)."""
    months = (today.year - start.year) * 12 + today.month - start.month
    return months - (1 if today.day < start.day else 0)


def _on_leave(day: date, away: list[tuple[date, date]]) -> bool:
    return any(first <= day <= last for first, last in away)


def _life(record: Record, today: date) -> tuple[int, list[tuple[str, str]]]:
    since = record.joined
    for day, _, presence in record.meetings:
        if presence in ("checked_in", "late") and day > since:
            since = day
    for _, last in record.away:
        if since < last + timedelta(days=1) <= today:
            since = last + timedelta(days=1)
    missed = [(day.isoformat(), name) for day, name, presence in sorted(record.meetings)
              if presence == "absent" and day >= since and not _on_leave(day, record.away)]
    return (months_between(since, today) if missed else 0), missed


def _unpaid(record: Record, today: date) -> list[str]:
    """The months before this one back to the last paid (not before the records began), less those whose first or
    last day was on standing leave. Month by month as (year, month) numbers: it runs for every member every day."""
    unpaid: list[str] = []
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    first = (record.joined.year, record.joined.month)
    while (year, month) >= first and (period := f"{year:04d}-{month:02d}") not in record.paid:
        if not record.away or not (
                _on_leave(date(year, month, 1), record.away)
                or _on_leave(date(year, month, calendar.monthrange(year, month)[1]), record.away)):
            unpaid.append(period)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(unpaid)


def assess(record: Record, today: date) -> Lapse:
    life_months, missed = _life(record, today)
    unpaid = _unpaid(record, today)
    worst = max(life_months, len(unpaid))
    level = ALARM_MONTHS if worst >= ALARM_MONTHS else WARN_MONTHS if worst >= WARN_MONTHS else 0
    return Lapse(level, life_months, len(unpaid), missed, unpaid)
