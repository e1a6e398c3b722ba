"""学习心得: after a 专题学习 a member who was there (checked in, or made it up) may write a short note — optional,
one per session, rewritten at will. The text is the member's own record: only they read it back; the secretary's
tally names who handed one in (bot/services/meetings/close.py) and the yearly register counts them."""

from __future__ import annotations

from bot.domain.meetings import PRESENT, STUDY_NOTE_MAX, Meeting, MeetingKind
from bot.domain.models import Member
from bot.errors import UserError
from bot.services import Services, membership
from bot.services.meetings.common import describe, meeting_in_branch
from storage import conversations, meetings, study_notes

FORM = "study_note"
NOTE_MAX = STUDY_NOTE_MAX


async def _session(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Member, Meeting, dict]:
    """The member and the 专题学习 they may write about: of their branch, begun, and attended (or made up)."""
    member = await membership.active_member(svc, telegram_id)
    meeting = await meeting_in_branch(svc, member, meeting_id)
    if meeting.kind is not MeetingKind.STUDY:
        raise UserError("common/stale.j2")
    info = await describe(svc, svc.db, meeting)
    if meeting.starts_at > svc.now():
        raise UserError("study_notes/not_yet.j2", **info)
    row = await meetings.attendance_of(svc.db, meeting.id, member.id)
    if row is None or (row.status not in PRESENT and row.made_up_at is None):
        raise UserError("study_notes/not_attended.j2", **info)
    return member, meeting, info


async def begin(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """写学习心得: what they wrote so far (their own), and the form waits for the text."""
    member, meeting, info = await _session(svc, telegram_id, meeting_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "text", {"meeting_id": meeting.id}, svc.now())
    return {**info, "mine": await study_notes.text_of(svc.db, meeting.id, member.id), "max": NOTE_MAX}


async def write(svc: Services, telegram_id: int, text: str | None) -> dict:
    """The note typed: kept (replacing an earlier one) and the form closed; an empty or too long one changes
    nothing and the form still waits."""
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind != FORM:
        raise UserError("common/stale.j2")
    member, meeting, info = await _session(svc, telegram_id, int(conversation.data["meeting_id"]))
    text = (text or "").strip()
    if not text:
        raise UserError("study_notes/empty.j2", max=NOTE_MAX)
    if len(text) > NOTE_MAX:
        raise UserError("common/too_long.j2", field="study_note", max=NOTE_MAX, length=len(text))
    async with svc.db.write() as db:
        await study_notes.save(db, meeting.id, member.id, text, svc.now())
        await conversations.clear(db, telegram_id)
    return {**info, "length": len(text)}
