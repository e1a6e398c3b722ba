"""Days without a time, and ranges of them ("12月1日到3月31日"), read with bot/domain/when.py's grammar of dates —
for standing leave and a theme day's new date (pure)."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.when import (
    _DATE,
    _RELATIVE_DAYS,
    _WEEK_WORD,
    END_BEFORE_START,
    UNREADABLE,
    Refusal,
    _days,
    _normalize,
    _Refused,
)

_DAY_ONLY = re.compile(rf"^(?:{_DATE})$")
# A dash between days only with spaces around it: "2026-12-01" is one day.
_DAY_SEPARATORS = re.compile(r" ?(?:到|至|~+|—+|–+) ?| - ")


def read_day(text: str, today: date) -> date | Refusal:
    """One day without a time ("12月1日", "2027年3月31日", "下周一", "明天"), the nearest that fits after
    `today`'s rules for each form (see `read`)."""
    match = _DAY_ONLY.match(_normalize(text))
    if not match:
        return Refusal(UNREADABLE)
    try:
        days = _days(match, today)
    except _Refused as refused:
        return Refusal(refused.reason)
    except ValueError:
        return Refusal(UNREADABLE)
    return days[0]


def read_day_range(text: str, today: date) -> tuple[date, date] | Refusal:
    """A range of days ("12月1日到3月31日", "2026-12-01至2027-03-31", "明天到下周五"); the end is read from the
    start's point of view, so "12月1日到3月31日" ends in the next year. An end before the start is refused."""
    parts = _DAY_SEPARATORS.split(_normalize(text))
    if len(parts) != 2:
        return Refusal(UNREADABLE)
    start = read_day(parts[0], today)
    if isinstance(start, Refusal):
        return start
    relative = re.match(rf"^(?:{'|'.join(_RELATIVE_DAYS)}|.*{_WEEK_WORD})", parts[1])
    end = read_day(parts[1], today if relative else start)  # "下周五" counts from today, "3月31日" from the start
    if isinstance(end, Refusal):
        return end
    if end < start:
        return Refusal(END_BEFORE_START)
    return start, end
