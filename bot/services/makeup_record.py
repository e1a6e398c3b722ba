"""The secretary or a 支委 records a make-up done away from the bot ("已补课：日期、内容"), for any member who
missed a closed meeting — the only way for one without a smartphone. The member's make-up task is closed as
approved by the recorder, the attendance shows it made up, and the deadline reminders stop."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain import dates
from bot.domain.makeup import BadRecord, read_record
from bot.domain.meetings import Meeting
from bot.domain.models import Member
from bot.domain.review import SubmissionStatus
from bot.errors import UserError
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, membership
from bot.services import meetings as meeting_service
from storage import (
    audit,
    branches,
    conversations,
    meetings,
    members,
    outbox,
    submissions,
)

FORM = "makeup_record"


async def _recorder(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Member, Meeting]:
    actor = await membership.active_member(svc, telegram_id)
    if not actor.is_committee:
        raise UserError("common/not_allowed.j2")
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or meeting.branch_id != actor.branch_id or meeting.status != "closed":
        raise UserError("common/stale.j2")
    return actor, meeting


async def waiting(svc: Services, telegram_id: int, meeting_id: int) -> tuple[dict, list[Member]]:
    """The meeting's absentees and members on leave whose make-up is not done yet: one button each."""
    actor, meeting = await _recorder(svc, telegram_id, meeting_id)
    ids = [m for found, m in await meetings.not_made_up(svc.db, meeting.branch_id) if found.id == meeting.id
           and m != actor.id]  # nobody records their own make-up
    people = [await members.get(svc.db, i) for i in ids]
    return await meeting_service.describe(svc, svc.db, meeting), [p for p in people if p.is_active]


@dataclass
class Target:
    member: Member
    info: dict


async def _target(svc: Services, meeting: Meeting, member_id: int, actor: Member) -> Member:
    if member_id == actor.id:
        raise UserError("review/own_case.j2")
    row = await meetings.attendance_of(svc.db, meeting.id, member_id)
    member = await members.get(svc.db, member_id)
    if member is None or member.branch_id != meeting.branch_id or row is None or row.status.value not in (
            "absent", "on_leave"):
        raise UserError("common/stale.j2")
    if row.made_up_at is not None:
        raise UserError("meetings/makeup_recorded_already.j2", name=member.name)
    return member


async def begin(svc: Services, telegram_id: int, meeting_id: int, member_id: int) -> Target:
    """A name pressed: the next message is the make-up's date and content."""
    actor, meeting = await _recorder(svc, telegram_id, meeting_id)
    member = await _target(svc, meeting, member_id, actor)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "text", {"meeting_id": meeting.id, "member_id": member.id},
                                 svc.now())
    return Target(member, await meeting_service.describe(svc, svc.db, meeting))


async def record(svc: Services, telegram_id: int, data: dict, text: str | None) -> Target:
    """The line arrived: the make-up is recorded (a bad line is refused and the form waits for a better one)."""
    actor, meeting = await _recorder(svc, telegram_id, data["meeting_id"])
    member = await _target(svc, meeting, data["member_id"], actor)
    branch = await branches.get(svc.db, meeting.branch_id)
    now = svc.now()
    today = now.astimezone(ZoneInfo(meeting_service.tz_of(svc, branch))).date()
    try:
        done, content = read_record(text or "", today)
    except BadRecord as why:
        raise UserError("meetings/makeup_record_bad.j2", why=str(why)) from None
    info = await meeting_service.describe(svc, svc.db, meeting)
    async with svc.db.write() as db:
        task = await submissions.get_or_create(
            db, branch_id=meeting.branch_id, author_id=member.id, kind=meeting_service.MAKEUP,
            ref=refs.meeting(meeting.id), now=now, content={"meeting": info["name"], "theme": info["theme"],
                                                                       "when": info["when"], "meeting_id": meeting.id})
        await submissions.save_content(db, task.id, {**task.content, "text": content, "done_on": done.isoformat(),
                                                     "recorded_by": actor.name}, now)
        if task.status is not SubmissionStatus.SUBMITTED:
            await submissions.mark_submitted(db, task.id, now)
        version = (await submissions.get(db, task.id)).version
        await submissions.decide(db, task.id, version, SubmissionStatus.APPROVED, actor.id, None, now)
        await meetings.mark_made_up(db, meeting.id, member.id, now)
        await outbox.cancel_prefix(db, meeting_keys.makeup.scope(meeting.id, member.id), now)
        await audit.record(db, now=now, action="makeup.record", branch_id=meeting.branch_id, actor_id=actor.id,
                           subject=refs.meeting(meeting.id), member=member.id, done_on=done.isoformat())
        await conversations.clear(db, telegram_id)
        await meeting_service.queue(svc, db, member, Outgoing(
            template="meetings/makeup_recorded_member.j2", params={**info, "by": actor.name, "content": content}),
            kind="makeup.recorded", key=meeting_keys.makeup_recorded(meeting.id, member.id))
    svc.wake_outbox()
    return Target(member, {**info, "done": dates.month_day(done), "content": content})
