"""Make-up (补课): the member writes it in as many messages as they like, then submits it for review (the drafting
is bot/services/drafts.py's; a make-up is a submission made for the absentee when the meeting closes)."""

from __future__ import annotations

from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.keys import refs
from bot.services import Services, drafts, membership
from bot.services.drafts import DraftKind
from bot.services.meetings.common import MAKEUP, MAKEUP_TEXT_MAX
from storage import meetings, submissions
from storage.connection import Conn

# Written in as many pieces as the member likes (no limit on photos: a notebook's pages), reviewed as 补课材料.
DRAFT = DraftKind(kind=MAKEUP, text_max=MAKEUP_TEXT_MAX, files_max=None,
                  ask="meetings/makeup_ask.j2", kept="meetings/makeup_kept.j2")


async def open_makeups(svc: Services, telegram_id: int) -> list[Submission]:
    member = await membership.active_member(svc, telegram_id)
    return [s for s in await submissions.by_author(svc.db, member.id, MAKEUP)
            if s.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)]


async def begin_makeup(svc: Services, telegram_id: int, submission_id: int) -> drafts.Draft:
    """Start (or resume) writing the make-up: what follows (text, photos) goes into it until 提交."""
    return await drafts.begin(svc, DRAFT, telegram_id, submission_id)


async def _makeup_decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    if decision is Decision.APPROVE:
        await meetings.mark_made_up(db, refs.meeting.read(submission.ref).meeting, submission.author_id, svc.now())
