"""Leave (请假) for one meeting, through the review mechanism; a leave still undecided at the close is settled by
the decision."""

from __future__ import annotations

from bot.domain import meetings as rules
from bot.domain.makeup import meaningful_length
from bot.domain.meetings import Presence
from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.errors import UserError
from bot.keys import refs
from bot.services import Services, membership, review
from bot.services.meetings.close import assign_makeup, makeup_due
from bot.services.meetings.common import (
    LEAVE,
    REASON_MAX,
    describe,
    meeting_in_branch,
    must_attend,
    tz_of,
)
from storage import branches, conversations, meetings, members, submissions
from storage.connection import Conn

# --- leave (请假) ----------------------------------------------------------------------------------------------------

async def begin_leave(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """请假 pressed: check it still makes sense, then wait for the reason as the member's next message."""
    member = await membership.active_member(svc, telegram_id)
    meeting = await meeting_in_branch(svc, member, meeting_id)
    await must_attend(svc, meeting, member)
    info = await describe(svc, svc.db, meeting)
    if meeting.status != "scheduled" or svc.now() > meeting.ends_at:
        raise UserError("meetings/leave_too_late.j2", **info)
    current = await meetings.attendance_of(svc.db, meeting.id, member.id)
    if current is not None and current.status in rules.PRESENT:
        raise UserError("meetings/leave_checked_in.j2", **info)
    if current is not None and current.status is Presence.ON_LEAVE:
        raise UserError("meetings/leave_already.j2", approved=True, **info)
    existing = await submissions.find(svc.db, LEAVE, refs.meeting(meeting.id), member.id)
    if existing is not None and existing.status is SubmissionStatus.SUBMITTED:
        raise UserError("meetings/leave_already.j2", approved=False, **info)
    if existing is not None and existing.status is SubmissionStatus.REJECTED:
        raise UserError("meetings/leave_refused_before.j2", **info)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "leave", "reason", {"meeting_id": meeting.id}, svc.now())
    return info


def clean_reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise UserError("meetings/leave_empty.j2")
    if meaningful_length(reason) < 2:
        raise UserError("meetings/leave_too_short.j2")
    if len(reason) > REASON_MAX:
        raise UserError("common/too_long.j2", field="leave_reason", max=REASON_MAX, length=len(reason))
    return reason


async def submit_leave(svc: Services, telegram_id: int, meeting_id: int, text: str | None) -> dict:
    """The reason arrived: a leave request goes to the secretary's review (批准 / 不批准)."""
    reason = clean_reason(text)
    member = await membership.active_member(svc, telegram_id)
    meeting = await meeting_in_branch(svc, member, meeting_id)
    info = await describe(svc, svc.db, meeting)
    if meeting.status != "scheduled" or svc.now() > meeting.ends_at:
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)
        raise UserError("meetings/leave_too_late.j2", **info)
    now = svc.now()
    async with svc.db.write() as db:
        submission = await submissions.get_or_create(db, branch_id=member.branch_id, author_id=member.id, kind=LEAVE,
                                                     ref=refs.meeting(meeting.id), now=now)
        await submissions.save_content(db, submission.id, {"reason": reason, "meeting": info["name"],
                                                           "when": info["when"], "meeting_id": meeting.id}, now)
        await review.submit(svc, db, await submissions.get(db, submission.id))
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return info


async def _leave_decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """Approved leave is not an absence (and the member's reminders stop). Decided after the close (it was still
    undecided then, so the member was left out of the absences): only now is it settled as leave or absence, with
    the make-up task either way."""
    meeting_id = refs.meeting.read(submission.ref).meeting
    now = svc.now()
    if decision is Decision.APPROVE:
        await meetings.record_leave(db, meeting_id, submission.author_id, submission.decided_by, now)
    meeting = await meetings.get(db, meeting_id)
    if meeting is None or meeting.status != "closed":
        return
    current = await meetings.attendance_of(db, meeting_id, submission.author_id)
    if current is not None and current.status in rules.PRESENT:
        return  # they came after all: nothing to make up
    if decision is not Decision.APPROVE:
        await meetings.record_absences(db, meeting_id, [submission.author_id], now)
    status = Presence.ON_LEAVE if decision is Decision.APPROVE else Presence.ABSENT
    branch = await branches.get(db, meeting.branch_id)
    due = makeup_due(meeting)
    await assign_makeup(svc, db, meeting, await members.get(db, submission.author_id), status,
                         await describe(svc, db, meeting), due, rules.format_moment(due, tz_of(svc, branch)), now)


