"""Check-in: by the member (inside the window, with the venue's location check when it has one), by proxy
(代签到), and the secretary's correction of an absence after the close."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import meetings as rules
from bot.domain.meetings import Meeting, Presence
from bot.domain.models import Member
from bot.domain.review import SubmissionStatus
from bot.domain.roles import Role, can_proxy_checkin
from bot.errors import UserError
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, membership
from bot.services.meetings.common import (
    MAKEUP,
    describe,
    expected_of,
    meeting_in_branch,
    must_attend,
    queue,
    require_window_open,
)
from storage import audit, conversations, meetings, members, outbox, submissions

# --- check-in ------------------------------------------------------------------------------------------------------

@dataclass
class CheckIn:
    meeting: Meeting
    presence: Presence | None  # None: a location is needed first
    already: bool = False
    can_proxy: bool = False
    info: dict | None = None


async def meeting_to_check_in(svc: Services, telegram_id: int) -> Meeting:
    """/checkin or /leave without a button: the member's meeting whose window is open, else their next one."""
    member = await membership.active_member(svc, telegram_id)
    now = svc.now()
    candidates = await meetings.open_in_branch(svc.db, member.branch_id, now) or await meetings.upcoming_in_branch(
        svc.db, member.branch_id, now)
    for meeting in candidates:
        if member.id in {m.id for m in await expected_of(svc.db, meeting)}:
            return meeting
    raise UserError("meetings/none_open.j2")


async def check_in(svc: Services, telegram_id: int, meeting_id: int,
                   location: tuple[float, float] | None = None) -> CheckIn:
    """The member checks themselves in; inside the window only; with the venue's location check when it has one."""
    member = await membership.active_member(svc, telegram_id)
    meeting = await meeting_in_branch(svc, member, meeting_id)
    await must_attend(svc, meeting, member)
    info = await describe(svc, svc.db, meeting)
    current = await meetings.attendance_of(svc.db, meeting.id, member.id)
    if current is not None and current.status in rules.PRESENT:
        return CheckIn(meeting, current.status, already=True, can_proxy=may_proxy(member, meeting), info=info)
    await require_window_open(svc, meeting)
    now = svc.now()
    if meeting.venue_lat is not None and meeting.venue_lon is not None:
        if location is None:
            async with svc.db.write() as db:
                await conversations.save(db, telegram_id, "checkin_location", "location", {"meeting_id": meeting.id},
                                         now)
            return CheckIn(meeting, None, info=info)
        distance = rules.distance_m(location[0], location[1], meeting.venue_lat, meeting.venue_lon)
        if distance > (meeting.venue_radius_m or 300):
            raise UserError("meetings/too_far.j2", distance=round(distance), radius=meeting.venue_radius_m, **info)
    presence = rules.presence_at(meeting.starts_at, now)
    async with svc.db.write() as db:
        changed = await meetings.record_presence(db, meeting.id, member.id, presence, None, now)
        await conversations.clear(db, telegram_id)
    if not changed:  # a double tap raced the first one
        current = await meetings.attendance_of(svc.db, meeting.id, member.id)
        return CheckIn(meeting, current.status, already=True, can_proxy=may_proxy(member, meeting), info=info)
    return CheckIn(meeting, presence, can_proxy=may_proxy(member, meeting), info=info)


def may_proxy(member: Member, meeting: Meeting) -> bool:
    """The secretary's side and 签到员 check anyone in; a 党小组长 checks in the people of their own group's 党小组会."""
    leads = Role.GROUP_LEADER in member.roles and member.party_group is not None
    return can_proxy_checkin(member.roles) or leads and meeting.audience == f"group:{member.party_group}"


async def _proxy_actor(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Member, Meeting]:
    actor = await membership.active_member(svc, telegram_id)
    meeting = await meeting_in_branch(svc, actor, meeting_id)
    if not may_proxy(actor, meeting):
        raise UserError("common/not_allowed.j2")
    return actor, meeting


async def proxy_candidates(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, list[Member], dict]:
    """Members who must attend and have not checked in yet (for the 代签到 list)."""
    _, meeting = await _proxy_actor(svc, telegram_id, meeting_id)
    await require_window_open(svc, meeting)
    rows = {a.member_id: a.status for a in await meetings.attendance(svc.db, meeting.id)}
    waiting = [m for m in await expected_of(svc.db, meeting) if rows.get(m.id) not in rules.PRESENT]
    return meeting, waiting, await describe(svc, svc.db, meeting)


@dataclass
class ProxyCheckIn:
    member: Member
    presence: Presence
    already: bool


async def proxy_check_in(svc: Services, telegram_id: int, meeting_id: int, member_id: int) -> ProxyCheckIn:
    """The secretary or a 签到员 checks in a member who has no smartphone (marked late after the start)."""
    actor, meeting = await _proxy_actor(svc, telegram_id, meeting_id)
    target = await members.get(svc.db, member_id)
    if target is None or target.branch_id != actor.branch_id or not target.is_active:
        raise UserError("common/stale.j2")
    await must_attend(svc, meeting, target)
    await require_window_open(svc, meeting)
    now = svc.now()
    presence = rules.presence_at(meeting.starts_at, now)
    async with svc.db.write() as db:
        changed = await meetings.record_presence(db, meeting.id, target.id, presence, actor.id, now)
    if not changed:
        current = await meetings.attendance_of(svc.db, meeting.id, target.id)
        return ProxyCheckIn(target, current.status, already=True)
    return ProxyCheckIn(target, presence, already=False)


async def absentees(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, list[Member]]:
    """After a meeting: who was recorded absent — what the secretary may correct."""
    meeting, _ = await _correctable(svc, telegram_id, meeting_id)
    rows = await meetings.attendance(svc.db, meeting.id)
    absent = {a.member_id for a in rows if a.status is Presence.ABSENT}
    return meeting, [m for m in await members.in_branch(svc.db, meeting.branch_id) if m.id in absent]


async def _correctable(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, Member]:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, meeting.branch_id)
    if meeting.status != "closed":
        raise UserError("meetings/correct_not_closed.j2")
    return meeting, actor


async def correct_to_present(svc: Services, telegram_id: int, meeting_id: int, member_id: int) -> Member:
    """The secretary records a member as present after all (they came but did not check in): the absence becomes
    a check-in by the secretary, and the make-up task it caused is withdrawn. Recorded in the audit log."""
    meeting, actor = await _correctable(svc, telegram_id, meeting_id)
    target = await members.get(svc.db, member_id)
    current = await meetings.attendance_of(svc.db, meeting.id, member_id)
    if target is None or target.branch_id != meeting.branch_id or current is None:
        raise UserError("common/stale.j2")
    if current.status is not Presence.ABSENT:
        raise UserError("meetings/correct_not_absent.j2", name=target.name)
    now = svc.now()
    info = await describe(svc, svc.db, meeting)
    async with svc.db.write() as db:
        await meetings.record_presence(db, meeting.id, target.id, Presence.CHECKED_IN, actor.id, now)
        task = await submissions.find(db, MAKEUP, refs.meeting(meeting.id), target.id)
        if task is not None and task.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED,
                                                SubmissionStatus.SUBMITTED):
            await submissions.set_status(db, task.id, SubmissionStatus.WITHDRAWN, now)
        await outbox.cancel_prefix(db, meeting_keys.makeup.scope(meeting.id, target.id), now)  # task and reminders
        await audit.record(db, now=now, action="attendance.correct", branch_id=meeting.branch_id, actor_id=actor.id,
                           subject=refs.meeting(meeting.id), member=target.id, was="absent", now_status="checked_in")
        await queue(svc, db, target, Outgoing(template="meetings/corrected.j2", params=info),
                    kind="attendance.corrected", key=meeting_keys.corrected(meeting.id, target.id))
    svc.wake_outbox()
    return target


