"""取消会议 from /meeting: the secretary's side calls off any 三会一课 meeting still to come; a 党小组长 calls off the
党小组会 of the group they lead now, and the branch's approvers are told that the leader did. Either way its
reminders and the recorder's deadline are withdrawn and every attendee is told."""

from __future__ import annotations

from bot.domain.meetings import Meeting, expected_members
from bot.domain.models import Member
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.keys import meetings as meeting_keys
from bot.keys import minutes as minutes_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, notify
from bot.services import meetings as meeting_service
from bot.services.scheduling import FOR_GROUPS, SCHEDULABLE, organizer
from storage import audit, meetings, members, outbox
from storage.connection import Conn


def may_cancel(meeting: Meeting, branch_id: int, group: str | None) -> bool:
    """Whether someone of `branch_id` may call `meeting` off: the secretary's side (group None) any 三会一课 meeting
    or 党小组's own theme day of the branch, a 党小组长 only the 党小组会 and theme days of the group they lead (the
    branch's monthly theme day follows its calendar)."""
    if meeting.branch_id != branch_id or (meeting.kind not in SCHEDULABLE and meeting.group_day is None):
        return False
    return group is None or meeting.kind in FOR_GROUPS and meeting.audience == f"group:{group}"


async def upcoming(svc: Services, telegram_id: int) -> list[tuple[Meeting, dict]]:
    """The meetings still to come that this person may call off, with what their messages show."""
    actor, group = await organizer(svc, telegram_id)
    now = svc.now()
    found = [m for m in await meetings.upcoming_in_branch(svc.db, actor.branch_id, now)
             if may_cancel(m, actor.branch_id, group) and m.starts_at > now]
    return [(m, await meeting_service.describe(svc, svc.db, m)) for m in found]


async def _cancellable(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Member, str | None, Meeting]:
    """(who, the group they cancel as 党小组长 or None, the meeting) — re-checked on every press: a meeting id
    forged or of another group is stale, one that began or was called off already is refused."""
    actor, group = await organizer(svc, telegram_id)
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or not may_cancel(meeting, actor.branch_id, group):
        raise UserError("common/stale.j2")
    if meeting.status != "scheduled" or meeting.starts_at <= svc.now():
        raise UserError("scheduling/not_cancellable.j2")
    return actor, group, meeting


async def ask_cancel(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    _, _, meeting = await _cancellable(svc, telegram_id, meeting_id)
    return await meeting_service.describe(svc, svc.db, meeting)


async def cancel(svc: Services, telegram_id: int, meeting_id: int) -> tuple[dict, int]:
    """确认取消会议: its reminders and the recorder's deadline are withdrawn and every attendee is told (and, when a
    党小组长 called it off, the approvers). Returns what the meeting's messages show, with `group` (the leader's
    group, or None), and how many attendees were told."""
    actor, group, meeting = await _cancellable(svc, telegram_id, meeting_id)
    now = svc.now()
    info = await meeting_service.describe(svc, svc.db, meeting)
    async with svc.db.write() as db:
        if not await meetings.mark_cancelled(db, meeting.id, now):
            raise UserError("scheduling/not_cancellable.j2")
        await outbox.cancel_prefix(db, meeting_keys.every.scope(meeting.id), now)
        await outbox.cancel_prefix(db, minutes_keys.every.scope(meeting.id), now)
        detail = {"group_leader_of": group} if group else {}
        await audit.record(db, now=now, action="meeting.cancel", branch_id=meeting.branch_id, actor_id=actor.id,
                           subject=refs.meeting(meeting.id), **detail)
        told = await _tell(svc, db, meeting, actor, group, info)
    svc.wake_outbox()
    return {**info, "group": group}, told


async def _tell(svc: Services, db: Conn, meeting: Meeting, actor: Member, group: str | None, info: dict) -> int:
    """The cancellation notice to each attendee; when a 党小组长 called the meeting off, also to the branch's
    approvers, saying who did (one notice each, in their private chat). Returns how many attendees were told."""
    attendees = {m.id: m for m in expected_members(await members.in_branch(db, meeting.branch_id), meeting.audience)}
    approvers = {m.id: m for m in await members.with_role(db, meeting.branch_id, APPROVER_ROLES)} if group else {}
    told = 0
    for member in {**attendees, **approvers}.values():
        if member.id == actor.id:
            continue
        params = {**info, "attending": member.id in attendees, "group": group,
                  "leader": actor.name if member.id in approvers else None}
        sent = await notify.to_member(svc, db, member, Outgoing(template="scheduling/cancelled_notice.j2",
                                                                params=params),
                                      kind="meeting.cancelled", key=meeting_keys.cancelled(meeting.id, member.id))
        told += sent and member.id in attendees
    return told
