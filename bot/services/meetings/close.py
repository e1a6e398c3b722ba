"""The close after the meeting: absences recorded, the tally to the approvers, a make-up task (or, for a
组织生活会, a written statement) to each absentee and person on leave, with its reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import meetings as meetings_cb
from bot.callbacks import review as review_cb
from bot.domain import meetings as rules
from bot.domain.meetings import Meeting, MeetingKind, Presence
from bot.domain.models import Member
from bot.domain.outbox import Planned
from bot.domain.review import Submission, SubmissionStatus
from bot.domain.roles import APPROVER_ROLES
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, workdays
from bot.services.meetings import proof
from bot.services.meetings.common import (
    LEAVE,
    MAKEUP,
    MAKEUP_TEMPLATES,
    STATEMENT_KINDS,
    describe,
    expected_of,
    queue,
    tz_of,
)
from bot.services.meetings.notes import ask_notes
from bot.services.meetings.reminders import away_on
from storage import branches, meetings, members, outbox, study_notes, submissions
from storage.connection import Conn

# --- the close after the day: tally and make-up tasks ---------------------------------------------------------------

@dataclass
class MeetingTally:
    meeting: Meeting
    info: dict
    tally: rules.Tally
    closed: bool
    made_up: list[str]
    undecided: list[tuple[Submission, str]]  # leave still waiting for the secretary after the close: (request, name)
    takes_code: bool = False  # check-in by the code shown at the venue (the branch's policy)
    viewer_id: int | None = None  # whose tally this is: their own leave is not theirs to decide (no button for it)
    notes: list[str] | None = None  # 专题学习: who handed in a 学习心得 (names only; the texts are the authors')


async def undecided_leaves(db: Conn, meeting_id: int) -> list[Submission]:
    return [s for s in await submissions.for_ref(db, LEAVE, refs.meeting(meeting_id))
            if s.status is SubmissionStatus.SUBMITTED]


async def tally_of(svc: Services, meeting: Meeting) -> MeetingTally:
    expected = await expected_of(svc.db, meeting)
    rows = await meetings.attendance(svc.db, meeting.id)
    statuses = {a.member_id: a.status for a in rows}
    pending = {s.author_id: s for s in await undecided_leaves(svc.db, meeting.id) if s.author_id not in statuses}
    if meeting.status == "closed":  # the close fixed who was expected: everyone with a row, and leave undecided
        ids = {a.member_id for a in rows} | set(pending)
        expected = [await members.get(svc.db, i) for i in sorted(ids)]
    names = {m.id: m.name for m in expected}
    made_up = [names[a.member_id] for a in rows if a.made_up_at is not None and a.member_id in names]
    tally = rules.tally(expected, statuses)
    undecided = [(s, names[i]) for i, s in pending.items() if i in names] if meeting.status == "closed" else []
    tally.absent = [n for n in tally.absent if n not in {name for _, name in undecided}]
    notes = [names[i] for i in sorted(await study_notes.authors(svc.db, meeting.id)) if i in names] \
        if meeting.kind is MeetingKind.STUDY else None
    return MeetingTally(meeting, await describe(svc, svc.db, meeting), tally, meeting.status == "closed", made_up,
                        undecided, takes_code="code" in await proof.needed(svc, meeting), notes=notes)


def makeup_due(meeting: Meeting) -> datetime:
    return meeting.ends_at + timedelta(days=meeting.makeup_days)


def correct_buttons(meeting_id: int) -> list[list[Button]]:
    return [[button("meetings/correct", meetings_cb.correct(meeting_id))]]


def tally_buttons(result: MeetingTally, viewer_id: int | None = None) -> list[list[Button]]:
    """Under a closed tally: one button per leave still undecided (opens its 批准 / 不批准 card) but the viewer's
    own, and 更正."""
    viewer_id = viewer_id if viewer_id is not None else result.viewer_id
    rows = [[button("meetings/decide_leave", review_cb.show(s.id), name=name)] for s, name in result.undecided[:20]
            if s.author_id != viewer_id]
    if set(result.tally.absent + result.tally.on_leave) - set(result.made_up):
        rows.append([button("meetings/record_makeup", meetings_cb.record_list(result.meeting.id))])
    return rows + (correct_buttons(result.meeting.id) if result.tally.absent else [])


async def close(svc: Services, meeting: Meeting, now: datetime) -> bool:
    """After the end: absentees recorded, the tally to the approvers, a make-up task to each absentee and person on
    leave — all in one transaction, so a stop half-way leaves the meeting open for the next tick."""
    branch = await branches.get(svc.db, meeting.branch_id)
    due = makeup_due(meeting)
    due_text = rules.format_moment(due, tz_of(svc, branch))
    async with svc.db.write() as db:
        if not await meetings.mark_closed(db, meeting.id, now):
            return False
        expected = await expected_of(db, meeting)
        # Leave still undecided is settled by the secretary's decision (see _leave_decided), not taken as absence.
        undecided = {s.author_id for s in await undecided_leaves(db, meeting.id)}
        await meetings.record_absences(db, meeting.id, [m.id for m in expected if m.id not in undecided], now)
        await outbox.converge(db, meeting_keys.reminder.scope(meeting.id), [], now)
        # Reads through svc.db inside this write see its own rows (the absences just recorded).
        result = await tally_of(svc, await meetings.get(db, meeting.id))
        for approver in await members.with_role(db, meeting.branch_id, APPROVER_ROLES):
            await queue(svc, db, approver, Outgoing(
                template="meetings/tally.j2", params={**result.info, "tally": result.tally.__dict__, "closed": True,
                                                      "made_up": [], "due": due_text,
                                                      "undecided": [name for _, name in result.undecided]},
                buttons=tally_buttons(result, approver.id)),
                kind="meeting.tally", key=meeting_keys.tally(meeting.id, approver.id))
        # Members on standing leave make up only where the branch says so (BranchSettings.away_makeup).
        away_ids = set() if branch.settings.away_makeup else await away_on(svc, db, meeting)
        for row in await meetings.attendance(db, meeting.id):
            if row.status not in (Presence.ABSENT, Presence.ON_LEAVE):
                continue
            if row.status is Presence.ON_LEAVE and row.member_id in away_ids:
                continue
            member = await members.get(db, row.member_id)
            await assign_makeup(svc, db, meeting, member, row.status, result.info, due, due_text, now)
        await ask_notes(svc, db, meeting, result.info)
    svc.wake_outbox()
    return True


async def assign_makeup(svc: Services, db: Conn, meeting: Meeting, member: Member, status: Presence,
                         info: dict, due: datetime, due_text: str, now: datetime) -> None:
    submission = await submissions.get_or_create(
        db, branch_id=meeting.branch_id, author_id=member.id, kind=MAKEUP, ref=refs.meeting(meeting.id), now=now,
        content={"meeting": info["name"], "theme": info["theme"], "when": info["when"], "due": due.isoformat(),
                 "meeting_id": meeting.id, "statement": meeting.kind in STATEMENT_KINDS})
    params = {**info, "due": due_text, "status": status.value, "statement": meeting.kind in STATEMENT_KINDS,
              "unknown_year": await workdays.unknown_year(db, meeting.branch_id, due.date())}
    task, _, write = _makeup_kind(meeting, submission.id)
    await queue(svc, db, member, Outgoing(template=task, params=params, buttons=write),
                kind="makeup.task", key=meeting_keys.makeup_task(meeting.id, member.id))
    await outbox.converge(db, meeting_keys.makeup_reminder.scope(meeting.id, member.id),
                          await makeup_reminders_of(svc, db, meeting.id, member, now), now)


async def makeup_reminders_of(svc: Services, db: Conn, meeting_id: int, member: Member,
                              now: datetime) -> list[Planned]:
    """A member's make-up reminders as the state needs them: only after the close, for an absence or a leave
    whose make-up task stands (a correction to present withdraws it)."""
    meeting = await meetings.get(db, meeting_id)
    row = await meetings.attendance_of(db, meeting_id, member.id)
    task = await submissions.find(db, MAKEUP, refs.meeting(meeting_id), member.id)
    if (meeting.status != "closed" or row is None or row.status not in (Presence.ABSENT, Presence.ON_LEAVE)
            or task is None or task.status is SubmissionStatus.WITHDRAWN):
        return []
    due = makeup_due(meeting)
    branch = await branches.get(db, meeting.branch_id)
    statement = meeting.kind in STATEMENT_KINDS
    params = {**await describe(svc, db, meeting), "due": rules.format_moment(due, tz_of(svc, branch)),
              "status": row.status.value, "statement": statement,
              "unknown_year": await workdays.unknown_year(db, meeting.branch_id, due.date())}
    _, reminder, write = _makeup_kind(meeting, task.id)
    return makeup_reminders_wanted(meeting, member, params, reminder, write, due, now)


def _makeup_kind(meeting: Meeting, task_id: int) -> tuple[str, str, list[list[Button]]]:
    """The task's and the reminders' templates and the button: a written statement (书面发言) for an absentee of
    a 组织生活会, a make-up for every other meeting."""
    statement = meeting.kind in STATEMENT_KINDS
    task, reminder = MAKEUP_TEMPLATES[statement]
    data = meetings_cb.makeup(task_id)
    return task, reminder, [[button("talks/statement_write", data) if statement
                             else button("meetings/makeup_write", data)]]



def makeup_reminders_wanted(meeting: Meeting, member: Member, params: dict, template: str,
                            write: list[list[Button]], due: datetime, now: datetime) -> list[Planned]:
    """A member's make-up reminders: two days and three hours before the due date, those still ahead, while the
    member can be reached (whether it was handed in meanwhile is the send-time relevance check's)."""
    if member.telegram_id is None or not member.reachable or not member.is_active:
        return []
    return [Planned(
        key=meeting_keys.makeup_reminder(meeting.id, member.id, name), chat_id=member.telegram_id, kind="makeup.remind",
        payload=Outgoing(template=template, params={**params, "last": name == "last"}, buttons=write),
        due_at=at, expires_at=due, branch_id=meeting.branch_id, member_id=member.id)
        for name, at in (("2d", due - timedelta(days=2)), ("last", due - timedelta(hours=3))) if at > now]


async def close_due(svc: Services, now: datetime) -> None:
    """Tick: close every meeting whose end has passed."""
    for meeting in await meetings.due_to_close(svc.db, now):
        await close(svc, meeting, now)


