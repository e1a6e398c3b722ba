"""What a member has to do about meetings now, as buttons: check in where the window is open, hand in a make-up."""

from __future__ import annotations

from datetime import datetime

from bot.callbacks import meetings as meetings_cb
from bot.domain.models import Member
from bot.domain.review import SubmissionStatus
from bot.outgoing import Button, button
from bot.services import Services
from bot.services.meetings.common import MAKEUP, describe, expected_of
from storage import meetings, submissions


async def todos(svc: Services, member: Member, now: datetime) -> list[Button]:
    found = []
    for meeting in await meetings.open_in_branch(svc.db, member.branch_id, now):
        if member.id not in {m.id for m in await expected_of(svc.db, meeting)}:
            continue
        row = await meetings.attendance_of(svc.db, meeting.id, member.id)
        if row is None:
            info = await describe(svc, svc.db, meeting)
            found.append(button("meetings/todo_checkin", meetings_cb.checkin(meeting.id), name=info["name"]))
    for task in await submissions.by_author(svc.db, member.id, MAKEUP):
        if task.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            found.append(button("meetings/todo_makeup", meetings_cb.makeup(task.id), meeting=task.content.get("meeting"),
                                returned=task.status is SubmissionStatus.RETURNED))
    return found


