"""民主生活会 (seed 000): held by a unit's leadership team (领导班子) each half-year. The team's members attend with a
vote; non-party leaders 列席 (attend without one). A member who cannot come asks for leave; once it is approved they
hand in a written statement (书面发言) before the meeting starts, and after the close the criticism the record
addresses to them is conveyed to them privately. Pure rules, no I/O."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain.meetings import Window, checkin_window
from bot.domain.talks import parse_criticism

NO_CRITICISM = "无"  # what the record's criticism step takes for "none"
KIND = "leadership_life"  # meetings.kind of a 民主生活会 (migration 037); its host is a unit, never a branch
CHECKIN_BEFORE = timedelta(minutes=30)  # check-in opens half an hour before the start
EVE = timedelta(days=1)  # the reminder the day before
RECORD_AFTER = timedelta(minutes=10)  # the record's prompt, after the close
NAME_MAX = 20
PLACE_MAX = 50
TOPIC_MAX = 100
REASON_MAX = 200
STATEMENT_MAX = 3000
CONTENT_MAX = 3000
CRITICISM_MAX = 3000
TEAM_MAX = 40  # people on a team (a keyboard of their buttons stays within Telegram's limits)


class Presence(StrEnum):
    INVITED = "invited"
    CHECKED_IN = "checked_in"
    LEAVE_ASKED = "leave_asked"
    ON_LEAVE = "on_leave"
    LEAVE_REFUSED = "leave_refused"
    ABSENT = "absent"


# Who was not there to hear the meeting: the criticism addressed to them is conveyed afterwards.
NOT_THERE = frozenset({Presence.ON_LEAVE, Presence.ABSENT})
# At the close, everyone still in one of these did not come.
UNSETTLED = frozenset({Presence.INVITED, Presence.LEAVE_ASKED, Presence.LEAVE_REFUSED})


class TeamPerson(BaseModel):
    id: int
    unit_id: int
    name: str
    telegram_id: int | None
    votes: bool  # False: 列席


class UnitMeeting(BaseModel):
    """A meeting a unit hosts (branch_id NULL in `meetings`): a 民主生活会."""

    id: int
    unit_id: int
    title: str | None
    place: str | None
    starts_at: datetime
    ends_at: datetime
    checkin_opens_at: datetime
    status: str
    closed_at: datetime | None


class Invitee(BaseModel):
    """One person asked to a unit's meeting, and what came of it."""

    meeting_id: int
    person_id: int
    name: str
    telegram_id: int | None
    votes: bool
    status: Presence
    reason: str | None
    decided_by: int | None
    statement: str | None
    statement_at: datetime | None
    criticism: str | None
    conveyed_at: datetime | None


class Minutes(BaseModel):
    meeting_id: int
    content: str
    criticism: str
    recorded_by: int
    recorded_at: datetime


_PERSON = re.compile(r"^\s*(?P<name>[^\d\s][^\d]*?)\s*(?:[\s,，]+(?P<id>\d{3,15}))?\s*$")


def read_person(text: str | None) -> tuple[str, int | None] | None:
    """"姓名" or "姓名 Telegram数字ID" → (name, id or None); None when it is neither (or the name is too long)."""
    match = _PERSON.match(text or "")
    if match is None:
        return None
    name = match.group("name").strip()
    if not name or len(name) > NAME_MAX:
        return None
    return name, int(match.group("id")) if match.group("id") else None


def window(meeting: UnitMeeting, now: datetime) -> Window:
    return checkin_window(meeting.checkin_opens_at, meeting.ends_at, now)


def before_start(meeting: UnitMeeting, now: datetime) -> bool:
    """Leave is asked, and the written statement handed in, before the meeting starts."""
    return meeting.status == "scheduled" and now < meeting.starts_at


def half_year(now: datetime, tz: str) -> tuple[int, int, datetime, datetime]:
    """(year, 1 or 2, start, end) of the local half-year `now` falls in: a 民主生活会 is held once in each."""
    local = now.astimezone(ZoneInfo(tz))
    half = 1 if local.month <= 6 else 2
    first = date(local.year, 1 if half == 1 else 7, 1)
    after = date(local.year, 7, 1) if half == 1 else date(local.year + 1, 1, 1)
    zone = ZoneInfo(tz)
    return local.year, half, datetime.combine(first, time(), tzinfo=zone), datetime.combine(after, time(), tzinfo=zone)


def held_in(meetings: list[UnitMeeting], start: datetime, end: datetime) -> int:
    """How many of the meetings (not called off) start within [start, end)."""
    return sum(1 for m in meetings if m.status != "cancelled" and start <= m.starts_at < end)


def due_to_close(meeting: UnitMeeting, now: datetime) -> bool:
    return meeting.status == "scheduled" and meeting.ends_at < now


def clean(text: str | None, limit: int) -> str | None:
    """Typed text, stripped; None when empty; ValueError(length) when longer than `limit`."""
    typed = (text or "").strip()
    if not typed:
        return None
    if len(typed) > limit:
        raise ValueError(len(typed))
    return typed


def read_criticism(text: str) -> dict[str, str] | None:
    """The record's criticism: "姓名：意见" lines → {name: criticism} (read as the 组织生活会's are); "无" → {};
    None when it is neither."""
    if text.strip() == NO_CRITICISM:
        return {}
    return parse_criticism(text) or None
