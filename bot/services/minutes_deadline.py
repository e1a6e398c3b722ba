"""A meeting's record (会议记录) against its deadline: which record belongs to a meeting, the recorder's reminders
and the approvers' overdue notice — planned convergently from the meeting's state — and the digest's overdue list."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.callbacks import minutes as minutes_cb
from bot.domain import dates
from bot.domain import minutes as rules
from bot.domain.meetings import Meeting
from bot.domain.models import Branch
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import Submission, SubmissionStatus
from bot.domain.roles import APPROVER_ROLES
from bot.keys import minutes as minutes_keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, policy, workdays
from bot.services import meetings as meeting_service
from bot.services.digest import line as digest_line
from storage import branches, meetings, members, minutes, outbox, submissions
from storage.connection import Conn

MINUTES = "minutes"
RECENT_DAYS = 120  # /minutes offers meetings of the last four months (older ones by number: /minutes 12)



async def record_of(db: Conn, meeting_id: int) -> Submission | None:
    """The meeting's one record (there is at most one, whoever wrote it)."""
    found = await submissions.for_ref(db, MINUTES, refs.meeting(meeting_id))
    return found[0] if found else None


def rules_editable(record: Submission) -> bool:
    return record.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)



async def deadline_reminders_wanted(svc: Services, db: Conn, meeting: Meeting, now: datetime) -> list[Planned]:
    """The record's deadline messages as the meeting's current state needs them: the recorder is asked when the
    meeting ends and reminded the morning of the last day; the approvers are told once it is overdue. None for a
    cancelled meeting or a record already handed in or decided (a returned one still needs them)."""
    record = await record_of(db, meeting.id)
    if meeting.status == "cancelled" or (record is not None and record.status not in (SubmissionStatus.DRAFT,
                                                                                       SubmissionStatus.RETURNED)):
        return []
    branch = await branches.get(db, meeting.branch_id)
    tz = meeting_service.tz_of(svc, branch)
    deadline = await workdays.minutes_deadline(db, branch.id, meeting.starts_at, tz)
    info = await meeting_service.describe(svc, db, meeting)
    params = {**info, "due": dates.month_day(deadline.due_day),
              "unknown_year": await workdays.unknown_year(db, branch.id, deadline.due_day)}
    write = [[button("minutes/write", minutes_cb.pick(meeting.id))]]
    staff = await minutes.staff_of(db, meeting.id)
    recorder = await members.get(db, staff.recorder_id) if staff and staff.recorder_id else None
    wanted = []
    if recorder is not None and recorder.telegram_id is not None and recorder.reachable and recorder.is_active:
        # Right after the meeting, while it is fresh: the button that opens the record.
        wanted.append(Planned(
            key=minutes_keys.after(meeting.id), chat_id=recorder.telegram_id, kind="minutes.remind",
            payload=Outgoing(template="minutes/after_meeting.j2", params=params, buttons=write),
            due_at=meeting.ends_at, expires_at=deadline.remind_at, branch_id=branch.id, member_id=recorder.id))
        wanted.append(Planned(
            key=minutes_keys.due_remind(meeting.id), chat_id=recorder.telegram_id, kind="minutes.remind",
            payload=Outgoing(template="minutes/due_reminder.j2", params=params, buttons=write),
            due_at=max(deadline.remind_at, meeting.ends_at), expires_at=deadline.due_at, branch_id=branch.id,
            member_id=recorder.id))
    for approver in await members.with_role(db, branch.id, APPROVER_ROLES):
        if approver.telegram_id is None or not approver.reachable:
            continue
        wanted.append(Planned(
            key=minutes_keys.overdue(meeting.id, approver.id), chat_id=approver.telegram_id,
            kind="minutes.overdue",
            payload=Outgoing(template="minutes/overdue.j2",
                             params={**params, "recorder": recorder.name if recorder else None}),
            due_at=deadline.due_at, branch_id=branch.id, member_id=approver.id))
    return wanted


async def plan_deadline(svc: Services, db: Conn, meeting: Meeting, now: datetime) -> None:
    """The record's deadline messages converge on what the meeting needs now (see deadline_reminders_wanted)."""
    await outbox.converge(db, minutes_keys.every.scope(meeting.id),
                          await deadline_reminders_wanted(svc, db, meeting, now), now)


async def still_due(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """Only while the meeting stands and its record is neither handed in nor decided."""
    meeting = await meetings.get(svc.db, minutes_keys.every.read(row.key).meeting)
    if meeting is None or meeting.status == "cancelled":
        return False
    record = await record_of(svc.db, meeting.id)
    return record is None or record.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


async def overdue_records(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """Digest lines: 三会一课 meetings whose record is past its deadline and not handed in."""
    recent = await meetings.in_branch(svc.db, branch.id, since=now - timedelta(days=RECENT_DAYS), until=now)
    if not recent:
        return []
    tz = meeting_service.tz_of(svc, branch)
    settings = await policy.rules_of(svc.db, branch.id)
    layers = await workdays.layers_of_branch(svc.db, branch.id, now.date())
    lines = []
    for meeting in recent:
        staff = await minutes.staff_of(svc.db, meeting.id)
        if staff is None or not rules.is_overdue(rules.minutes_deadline(meeting.starts_at, tz, settings, layers), now):
            continue
        record = await record_of(svc.db, meeting.id)
        if record is None or rules_editable(record):
            info = await meeting_service.describe(svc, svc.db, meeting)
            recorder = await members.get(svc.db, staff.recorder_id) if staff.recorder_id else None
            lines.append(digest_line("overdue_record", info=info, recorder=recorder.name if recorder else None))
    return lines
