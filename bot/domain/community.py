"""在职党员到社区报到 (seed 002): the rules of a member's volunteer service with a community branch — reading what
they served (the day, the hours, what), the limits a day's hours have, and how a year's confirmed service adds up.
Pure functions; `today` comes in from the caller."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.domain import when
from bot.domain.makeup import meaningful_length

DAY_MINUTES = 24 * 60  # nobody serves more than a day in a day
WHAT_MAX = 200
POST_MAX = 20
POSTS_MAX = 12  # a community's posts: buttons to claim them with

# "3", "2.5", "3小时", "1.5h", "半小时", "3个小时"; the rest of the line is what was done.
_HOURS = re.compile(r"^(?:(?P<n>\d+(?:\.\d+)?)\s*(?:个)?\s*(?:小时|钟头|h|H)?|(?P<half>半)\s*(?:个)?\s*(?:小时|钟头))"
                    r"(?=[\s，,。：:；;]|$)")
_PUNCTUATION = " \t，,。：:；;"


class BadService(ValueError):
    """Why the line cannot be logged: 'no_date', 'bad_date', 'future', 'no_hours', 'zero', 'too_many',
    'no_content' or 'too_long'."""


@dataclass(frozen=True)
class Served:
    day: date
    minutes: int
    what: str


def read_hours(text: str) -> tuple[int, str]:
    """(minutes, the rest) of a line that opens with the hours ("2.5小时 陪护老人"); the hours must be a number
    above 0 and at most 24."""
    match = _HOURS.match(text.strip())
    if match is None:
        raise BadService("no_hours")
    hours = 0.5 if match.group("half") else float(match.group("n"))
    minutes = round(hours * 60)
    if minutes <= 0:
        raise BadService("zero")
    if minutes > DAY_MINUTES:
        raise BadService("too_many")
    return minutes, text.strip()[match.end():].strip(_PUNCTUATION)


def read_service(text: str, today: date) -> Served:
    """A service as the member types it on one line: "12月1日 3小时 为独居老人修理水管" (the day first, read as one
    already past; then the hours; then what was done)."""
    read = when.read_day_prefix(text or "", today, past=True)
    if isinstance(read, when.Refusal):
        raise BadService("bad_date")
    day, rest = read
    if day is None:
        raise BadService("no_date")
    if day > today:
        raise BadService("future")
    minutes, what = read_hours(rest)
    if meaningful_length(what) < 2:
        raise BadService("no_content")
    if len(what) > WHAT_MAX:
        raise BadService("too_long")
    return Served(day, minutes, what)


def fits_the_day(already: int, minutes: int) -> bool:
    """The day's services (already logged, in minutes) and this one stay within 24 hours."""
    return already + minutes <= DAY_MINUTES


def read_posts(text: str) -> list[str]:
    """The community's posts as its secretary types them: one a line (or separated by 、，,), each at most
    POST_MAX characters, at most POSTS_MAX, duplicates dropped; an empty list when nothing usable was typed."""
    found: list[str] = []
    for part in re.split(r"[\n、，,；;]+", text or ""):
        name = part.strip()
        if name and name not in found:
            found.append(name)
    if len(found) > POSTS_MAX or any(len(name) > POST_MAX for name in found):
        return []
    return found


def hours(minutes: int) -> str:
    """Minutes as hours the way a register writes them: 3, 2.5, 1.3 (one decimal, none when whole)."""
    value = round(minutes / 60, 1)
    return str(int(value)) if value == int(value) else str(value)


@dataclass(frozen=True)
class YearTotal:
    """A member's confirmed service in a year: how many times, how long, with which communities."""

    times: int
    minutes: int
    communities: tuple[str, ...]

    @property
    def hours(self) -> str:
        return hours(self.minutes)
