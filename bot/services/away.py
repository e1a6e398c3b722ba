"""Standing leave (请销假): a member away for a period (外出务工, 流动党员, illness) asks once, with a reason and a date
range; it is reviewed like a leave; while approved, meetings in the range count as leave (no absence), their
reminders are not sent, and no make-up is set unless the branch says so; 销假 ends it early."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import away as rules
from bot.domain import dates, when
from bot.domain.away import StandingLeave
from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.services import Services, membership, review
from bot.services import meetings as meeting_service
from storage import audit, away, branches, conversations, meetings, submissions
from storage.connection import Conn

AWAY = "away"


async def _today(svc: Services, db: Conn, branch_id: int) -> date:
    branch = await branches.get(db, branch_id)
    return svc.now().astimezone(ZoneInfo(meeting_service.tz_of(svc, branch))).date()


def _local_day(svc: Services, branch, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(meeting_service.tz_of(svc, branch))).date()


async def status(svc: Services, telegram_id: int) -> tuple[StandingLeave | None, Submission | None]:
    """/away: the member's standing leave under way or to come, and a request still waiting for review."""
    member = await membership.active_member(svc, telegram_id)
    current = await away.current_of(svc.db, member.id, await _today(svc, svc.db, member.branch_id))
    waiting = [s for s in await submissions.by_author(svc.db, member.id, AWAY)
               if s.status is SubmissionStatus.SUBMITTED]
    return current, (waiting[0] if waiting else None)


async def begin(svc: Services, telegram_id: int) -> None:
    """Ask for the reason first (the range follows)."""
    await membership.active_member(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, AWAY, "reason", {}, svc.now())


async def take_reason(svc: Services, telegram_id: int, text: str | None) -> None:
    reason = (text or "").strip()
    if not reason:
        raise UserError("away/reason_empty.j2")
    if len(reason) > rules.REASON_MAX:
        raise UserError("common/too_long.j2", field="away_reason", max=rules.REASON_MAX, length=len(reason))
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, AWAY, "range", {"reason": reason}, svc.now())


async def submit(svc: Services, telegram_id: int, reason: str, text: str | None) -> dict:
    """The range arrived: read (bot/domain/when), checked, and sent for review like a leave."""
    member = await membership.active_member(svc, telegram_id)
    today = await _today(svc, svc.db, member.branch_id)
    read = when.read_day_range(text or "", today)
    if isinstance(read, when.Refusal):
        raise UserError("away/bad_range.j2", reason=read.reason)
    start, end = read
    if (problem := rules.check_range(start, end, today)) is not None:
        raise UserError("away/bad_range.j2", reason=problem)
    content = {"reason": reason, "start": start.isoformat(), "end": end.isoformat(),
               "range": dates.day_range(start, end)}
    now = svc.now()
    async with svc.db.write() as db:
        submission = await submissions.get_or_create(db, branch_id=member.branch_id, author_id=member.id, kind=AWAY,
                                                     ref=refs.away(start, round(now.timestamp())), now=now)
        await submissions.save_content(db, submission.id, content, now)
        await review.submit(svc, db, await submissions.get(db, submission.id))
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return content


async def _decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """Approved: the range is recorded, and the member's meetings already scheduled in it become leave."""
    if decision is not Decision.APPROVE:
        return
    content = submission.content
    start, end = date.fromisoformat(content["start"]), date.fromisoformat(content["end"])
    await away.create(db, submission_id=submission.id, branch_id=submission.branch_id, member_id=submission.author_id,
                      reason=content["reason"], starts_on=start, ends_on=end, now=svc.now())
    branch = await branches.get(db, submission.branch_id)
    for meeting in await meetings.upcoming_in_branch(db, submission.branch_id, svc.now()):
        if start <= _local_day(svc, branch, meeting.starts_at) <= end:
            await meetings.record_leave(db, meeting.id, submission.author_id, submission.decided_by, svc.now())


async def end_early(svc: Services, telegram_id: int, leave_id: int) -> StandingLeave:
    """销假: back from today; meetings from today on expect the member again and remind them."""
    member = await membership.active_member(svc, telegram_id)
    today = await _today(svc, svc.db, member.branch_id)
    current = await away.current_of(svc.db, member.id, today)
    if current is None or current.id != leave_id:
        raise UserError("away/nothing_to_end.j2")
    now = svc.now()
    branch = await branches.get(svc.db, member.branch_id)
    async with svc.db.write() as db:
        await away.end_early(db, current.id, max(today - timedelta(days=1), current.starts_on - timedelta(days=1)))
        await audit.record(db, now=now, action="away.end", branch_id=member.branch_id, actor_id=member.id,
                           subject=refs.submission(current.submission_id))
        for meeting in await meetings.upcoming_in_branch(db, member.branch_id, now):
            if current.covers(_local_day(svc, branch, meeting.starts_at)) and meeting.starts_at > now:
                if await away.clear_leave(db, meeting.id, member.id):
                    await meeting_service.plan_reminders(svc, db, meeting, now)
    svc.wake_outbox()
    return current


FEATURE = Feature(
    name="away",
    review_kinds=(review.ReviewKind(kind=AWAY, card_template="away/card.j2", allow_return=False,
                                    on_decided=_decided),),
)
