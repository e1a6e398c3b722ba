"""专题学习's 学习心得 asked at the close: each member who was there gets the optional prompt with its button (writing
it is bot/services/study_notes.py)."""

from __future__ import annotations

from bot.callbacks import study_notes as notes_cb
from bot.domain.meetings import PRESENT, STUDY_NOTE_MAX, Meeting, MeetingKind
from bot.keys import meetings as meeting_keys
from bot.outgoing import Outgoing, button
from bot.services import Services
from bot.services.meetings.common import queue
from storage import meetings, members
from storage.connection import Conn


async def ask_notes(svc: Services, db: Conn, meeting: Meeting, info: dict) -> None:
    """After a 专题学习: the members present are invited to write a note — optional, and nobody is reminded."""
    if meeting.kind is not MeetingKind.STUDY:
        return
    for row in await meetings.attendance(db, meeting.id):
        if row.status not in PRESENT:
            continue
        member = await members.get(db, row.member_id)
        if member is None or not member.is_active:
            continue
        await queue(svc, db, member, Outgoing(
            template="study_notes/invite.j2", params={**info, "max": STUDY_NOTE_MAX},
            buttons=[[button("study_notes/write", notes_cb.write(meeting.id))]]),
            kind="study.note", key=meeting_keys.study_note(meeting.id, member.id))
