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


def _period(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


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
    unpaid: list[str] = []
    month = today.replace(day=1) - timedelta(days=1)  # the last day of the month before
    first = record.joined.replace(day=1)
    while month >= first and _period(month) not in record.paid:
        if not _on_leave(month.replace(day=1), record.away) and not _on_leave(month, record.away):
            unpaid.append(_period(month))
        month = month.replace(day=1) - timedelta(days=1)
    return sorted(unpaid)


def assess(record: Record, today: date) -> Lapse:
    life_months, missed = _life(record, today)
    unpaid = _unpaid(record, today)
    worst = max(life_months, len(unpaid))
    level = ALARM_MONTHS if worst >= ALARM_MONTHS else WARN_MONTHS if worst >= WARN_MONTHS else 0
    return Lapse(level, life_months, len(unpaid), missed, unpaid)
