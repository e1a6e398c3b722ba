"""主题党日+ (seed 002; seed 000 names 三会一课 among the forms of the 统一活动日): a theme day that also holds one or
more 三会一课 meetings — the quarter's 支部党员大会, a 党课 — scheduled once, with one check-in, one tally and one
make-up, and counted for each kind (compliance, the overview, the record books read `Meeting.kinds`).

Scheduling a meeting (bot/services/scheduling.py) that shares time and people with another is warned about on its
preview; when the other is a theme day for the same people, one tap holds the new meeting within it instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import meetings as rules
from bot.domain.meetings import KIND_LABELS, Meeting, MeetingKind
from bot.domain.models import Member
from bot.errors import UserError
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, minutes_deadline, notify
from bot.services import meetings as meeting_service
from storage import audit, meetings, minutes
from storage.connection import Conn

DETAILS_MAX = 300  # the theme day's details (bot/services/themeday.py)


@dataclass(frozen=True)
class Overlap:
    """Another meeting of the branch at the same time for some of the same people."""

    meeting_id: int
    name: str
    when: str
    combinable: bool  # a theme day for exactly these people: the new meeting can be held within it


async def overlaps(svc: Services, db: Conn, branch_id: int, people: list[Member], kind: MeetingKind, audience: str,
                   starts_at: datetime, ends_at: datetime) -> list[Overlap]:
    """The scheduled meetings that share a moment and at least one attendee with the one being scheduled."""
    wanted = {m.id for m in rules.expected_members(people, audience)}
    found = []
    for other in await meetings.overlapping(db, branch_id, starts_at, ends_at):
        if not wanted & {m.id for m in rules.expected_members(people, other.audience)}:
            continue
        info = await meeting_service.describe(svc, db, other)
        found.append(Overlap(other.id, info["name"], info["when"], rules.may_combine(other, kind, audience)))
    return found


@dataclass(frozen=True)
class Held:
    """What the form hands over: the meeting to hold, as the secretary described it."""

    kind: MeetingKind
    audience: str
    starts_at: datetime
    ends_at: datetime
    topic: str | None
    host_id: int | None
    recorder_id: int | None
    lecturer: tuple[int | None, str | None, bool] | None  # a 党课's 主讲人 (member id, typed name, 领导干部)


async def hold(svc: Services, db: Conn, actor: Member, meeting_id: int, held: Held) -> tuple[Meeting, int]:
    """并入: the theme day now also holds `held.kind` (its staff and topic kept where the day has none); its
    attendees are told, their reminders carry the new name, the record's deadline is planned. (meeting, told)."""
    now = svc.now()
    day = await meetings.get(db, meeting_id)
    if (day is None or day.branch_id != actor.branch_id or day.starts_at <= now
            or not rules.overlap(held.starts_at, held.ends_at, day.starts_at, day.ends_at)
            or not rules.may_combine(day, held.kind, held.audience)):
        raise UserError("common/stale.j2")
    await meetings.set_holds(db, day.id, rules.with_held(day.holds, held.kind), now)
    staff = await minutes.staff_of(db, day.id)
    if staff is None or staff.recorder_id is None:
        await minutes.set_staff(db, day.id, held.host_id, held.recorder_id, actor.id, now)
    if held.lecturer is not None:
        await minutes.set_lecturer(db, day.id, *held.lecturer)
    if held.topic:
        line = rules.agenda_line(held.kind, held.topic)
        details = f"{day.details}\n{line}" if day.details else line
        await meetings.set_details(db, day.id, details[:DETAILS_MAX], now)
    await audit.record(db, now=now, action="meeting.hold", branch_id=day.branch_id, actor_id=actor.id,
                       subject=refs.meeting(day.id), kind=held.kind.value)
    day = await meetings.get(db, day.id)
    told = await _tell(svc, db, day, held.kind, actor)
    await meeting_service.plan_reminders(svc, db, day, now)
    await minutes_deadline.plan_deadline(svc, db, day, now)
    return day, told


async def _tell(svc: Services, db: Conn, day: Meeting, kind: MeetingKind, actor: Member) -> int:
    """Each attendee learns the theme day is also the meeting: still one check-in, one leave request."""
    info = await meeting_service.describe(svc, db, day)
    told = 0
    for member in await meeting_service.expected_of(db, day):
        if member.id == actor.id:
            continue
        told += await notify.to_member(svc, db, member, Outgoing(
            template="scheduling/held_notice.j2", params={**info, "held": KIND_LABELS[kind]},
            buttons=meeting_service.action_buttons(day.id)),
            kind="meeting.notice", key=meeting_keys.held(day.id, kind.value, member.id))
    return told
