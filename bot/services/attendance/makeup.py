"""Make-up (补课): the member writes it in as many messages as they like, then submits it for review."""

from __future__ import annotations

from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.errors import UserError
from bot.services import Services, membership, review
from bot.services.attendance.common import MAKEUP, MAKEUP_TEXT_MAX
from storage import conversations, meetings, submissions
from storage.connection import Conn

# --- make-up (补课) ----------------------------------------------------------------------------------------------------

async def open_makeups(svc: Services, telegram_id: int) -> list[Submission]:
    member = await membership.active_member(svc, telegram_id)
    return [s for s in await submissions.by_author(svc.db, member.id, MAKEUP)
            if s.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)]


async def _own_makeup(svc: Services, telegram_id: int, submission_id: int) -> Submission:
    member = await membership.active_member(svc, telegram_id)
    submission = await submissions.get(svc.db, submission_id)
    if submission is None or submission.kind != MAKEUP or submission.author_id != member.id:
        raise UserError("common/stale.j2")
    if submission.status is SubmissionStatus.SUBMITTED:
        raise UserError("meetings/makeup_waiting.j2")
    if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise UserError("review/not_editable.j2", status=submission.status.value)
    return submission


async def begin_makeup(svc: Services, telegram_id: int, submission_id: int) -> Submission:
    """Start (or resume) writing the make-up: what follows (text, photos) goes into it until 提交."""
    submission = await _own_makeup(svc, telegram_id, submission_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "makeup", "content", {"submission_id": submission.id}, svc.now())
    return submission


async def add_to_makeup(svc: Services, telegram_id: int, submission_id: int, text: str | None,
                        file: tuple[str, str] | None) -> tuple[Submission, int]:
    """Keep a piece of the make-up (text and/or a photo) at once; returns it and the number of attached files."""
    submission = await _own_makeup(svc, telegram_id, submission_id)
    text = (text or "").strip()
    if not text and file is None:
        raise UserError("meetings/makeup_what.j2")
    content = dict(submission.content)
    if text:
        combined = "\n".join(p for p in (content.get("text"), text) if p)
        if len(combined) > MAKEUP_TEXT_MAX:
            raise UserError("common/too_long.j2", field="补课材料", max=MAKEUP_TEXT_MAX, length=len(combined))
        content["text"] = combined
    now = svc.now()
    async with svc.db.write() as db:
        await submissions.save_content(db, submission.id, content, now)
        if file is not None:
            await submissions.add_file(db, submission.id, file[0], file[1], text or None, now)
    return await submissions.get(svc.db, submission.id), len(await submissions.files(svc.db, submission.id))


async def submit_makeup(svc: Services, telegram_id: int, submission_id: int) -> Submission:
    submission = await _own_makeup(svc, telegram_id, submission_id)
    if not submission.content.get("text") and not await submissions.files(svc.db, submission.id):
        raise UserError("meetings/makeup_empty.j2")
    async with svc.db.write() as db:
        submitted = await review.submit(svc, db, submission)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return submitted


async def _makeup_decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    if decision is Decision.APPROVE:
        await meetings.mark_made_up(db, int(submission.ref.split(":")[1]), submission.author_id, svc.now())


