"""Minutes (会议记录): the recorder (or the secretary) picks a held meeting, confirms what zhibu already knows
(type, time, place, host, recorder, 应到/实到/缺席 from the check-ins and leave), adds the agenda, the content,
the resolutions and photos — each answer saved at once — previews, edits any field, and submits it to the
review mechanism (通过 / 退回修改 / 驳回). Due n working days after the meeting: a reminder before, a notice
to the secretary when overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.callbacks import minutes as minutes_cb
from bot.callbacks.commands import Command
from bot.domain import dates
from bot.domain import meetings as meeting_rules
from bot.domain import minutes as rules
from bot.domain import when as when_rules
from bot.domain.meetings import Meeting
from bot.domain.models import Member
from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.errors import UserError
from bot.features import Feature
from bot.keys import minutes as minutes_keys
from bot.keys import refs
from bot.outgoing import button
from bot.render import plain_text, render
from bot.services import Services, filing, membership, minutes_votes, review, statements, workdays
from bot.services import meetings as meeting_service
from bot.services.minutes_deadline import (
    MINUTES,
    RECENT_DAYS,
    overdue_records,
    record_of,
    rules_editable,
    still_due,
)
from storage import (
    branches,
    conversations,
    meetings,
    members,
    minutes,
    outbox,
    submissions,
)
from storage.connection import Conn

FORM = "minutes"
EDITABLE_FIELDS = ("when", "place", "host", "recorder", "topic", "agenda", "content", "resolutions", "photos", "criticism",
                   "votes")


def _meeting_id(submission: Submission) -> int:
    return refs.meeting.read(submission.ref).meeting


async def _meeting_in_branch(svc: Services, actor: Member, meeting_id: int) -> Meeting:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or meeting.branch_id != actor.branch_id or meeting.status == "cancelled":
        raise UserError("minutes/no_meeting.j2", meeting_id=meeting_id)
    return meeting


async def _may_write(svc: Services, actor: Member, meeting: Meeting) -> None:
    """The meeting's recorder, or the secretary / deputy."""
    if actor.is_approver:
        return
    staff = await minutes.staff_of(svc.db, meeting.id)
    if staff is None or staff.recorder_id != actor.id:
        raise UserError("minutes/not_recorder.j2")


async def _prefill(svc: Services, db: Conn, meeting: Meeting) -> dict:
    """Everything zhibu knows about the meeting, to be confirmed rather than typed."""
    info = await meeting_service.describe(svc, db, meeting)
    staff = await minutes.staff_of(db, meeting.id)
    host = await members.get(db, staff.host_id) if staff and staff.host_id else None
    recorder = await members.get(db, staff.recorder_id) if staff and staff.recorder_id else None
    lecturer = await members.get(db, staff.lecturer_id) if staff and staff.lecturer_id else None
    found = {"meeting_id": meeting.id, "kind": meeting_rules.title_of(meeting.kind, meeting.held), "meeting": info["name"],
             "when": info["when"], "place": meeting.place, "topic": info["theme"],
             "host": host.name if host else None, "recorder": recorder.name if recorder else None,
             "agenda": None, "content": None, "resolutions": None, "confirmed": False, "photos_done": False}
    if staff is not None and (lecturer or staff.lecturer_name):
        found.update(lecturer=lecturer.name if lecturer else staff.lecturer_name, lecturer_leader=staff.lecturer_leader)
    if minutes_votes.takes_votes(meeting.kinds):  # also a theme day holding a 支部党员大会
        found.update(takes_votes=True, votes=[], votes_done=False)
    return found


async def attendance_of(svc: Services, meeting: Meeting) -> dict:
    """应到 / 实到 / 缺席 with reasons, from the check-ins and the approved leave (never typed)."""
    result = await meeting_service.tally_of(svc, meeting)
    reasons = {}
    for leave in await submissions.for_ref(svc.db, meeting_service.LEAVE, refs.meeting(meeting.id)):
        author = await members.get(svc.db, leave.author_id)
        reasons[author.name] = leave.content.get("reason")
    tally = result.tally
    return {"expected": len(tally.expected), "present": tally.present, "late": tally.late,
            "on_leave": [{"name": n, "reason": reasons.get(n)} for n in tally.on_leave], "absent": tally.absent,
            "closed": result.closed}


@dataclass
class Form:
    submission: Submission
    step: str
    meeting: Meeting
    attendance: dict
    photos: int
    deadline: str | None = None
    extra: dict = field(default_factory=dict)
    votes: list[dict] = field(default_factory=list)  # with 应到, 实到, quorum and result
    voting: dict | None = None  # 应到 / 实到 of those with a vote, for a meeting that votes

    @property
    def content(self) -> dict:
        return self.submission.content


async def _form(svc: Services, submission: Submission, step: str) -> Form:
    meeting = await meetings.get(svc.db, _meeting_id(submission))
    # Once handed in, the record shows the attendance as it was submitted.
    attendance = None if rules_editable(submission) else submission.content.get("attendance")
    branch = await branches.get(svc.db, meeting.branch_id)
    tz = meeting_service.tz_of(svc, branch)
    deadline = await workdays.minutes_deadline(svc.db, branch.id, meeting.starts_at, tz)
    due = dates.month_day(deadline.due_day)
    voting = None if not submission.content.get("takes_votes") else (
        None if rules_editable(submission) else submission.content.get("voting")) or (
        await minutes_votes.voting_of(svc, meeting)).model_dump()
    return Form(submission, step, meeting, attendance or await attendance_of(svc, meeting),
                len(await submissions.files(svc.db, submission.id)), deadline=due,
                votes=minutes_votes.shown(submission.content, voting), voting=voting)


# --- choosing the meeting -----------------------------------------------------------------------------------------

@dataclass
class Choice:
    meeting: Meeting
    info: dict
    status: str | None  # the record's status, None: not started
    day: str  # the meeting's local date, 12-10


async def choices(svc: Services, telegram_id: int) -> list[Choice]:
    """/minutes: held meetings the person may record whose record is not finished (newest first)."""
    actor = await membership.active_member(svc, telegram_id)
    tz = meeting_service.tz_of(svc, await branches.get(svc.db, actor.branch_id))
    now = svc.now()
    held = await meetings.in_branch(svc.db, actor.branch_id, since=now - timedelta(days=RECENT_DAYS),
                                    until=now + timedelta(seconds=1))
    found = []
    for meeting in reversed(held):
        try:
            await _may_write(svc, actor, meeting)
        except UserError:
            continue
        record = await record_of(svc.db, meeting.id)
        if record is not None and record.status in (SubmissionStatus.APPROVED, SubmissionStatus.REJECTED):
            continue
        found.append(Choice(meeting, await meeting_service.describe(svc, svc.db, meeting),
                            record.status.value if record else None, dates.short_numeric_day(meeting.starts_at, tz)))
    return found[:10]


async def open_record(svc: Services, telegram_id: int, meeting_id: int) -> Form:
    """Start or resume the record of a held meeting, at its first unanswered field (or the preview)."""
    actor = await membership.active_member(svc, telegram_id)
    meeting = await _meeting_in_branch(svc, actor, meeting_id)
    await _may_write(svc, actor, meeting)
    if meeting.starts_at > svc.now():
        raise UserError("minutes/not_held_yet.j2", **await meeting_service.describe(svc, svc.db, meeting))
    now = svc.now()
    async with svc.db.write() as db:
        record = await record_of(db, meeting.id)
        if record is None:
            record = await submissions.get_or_create(db, branch_id=meeting.branch_id, author_id=actor.id,
                                                     kind=MINUTES, ref=refs.meeting(meeting.id), now=now,
                                                     content=await _prefill(svc, db, meeting))
        if record.status is SubmissionStatus.SUBMITTED:
            raise UserError("minutes/waiting.j2")
        if not rules_editable(record):
            raise UserError("review/not_editable.j2", status=record.status.value)
        step = rules.next_step(record.content)
        await conversations.save(db, telegram_id, FORM, step, {"submission_id": record.id}, now)
    return await _form(svc, record, step)


async def resume(svc: Services, telegram_id: int) -> Form | None:
    """/minutes while a record is under way: the same step again."""
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind != FORM:
        return None
    record, _ = await _own(svc, telegram_id, conversation.data["submission_id"])
    return await _form(svc, record, conversation.step)


# --- answering ----------------------------------------------------------------------------------------------------

async def _own(svc: Services, telegram_id: int, submission_id: int) -> tuple[Submission, Member]:
    """The record, if this person may still edit it (re-checked on every answer and every press)."""
    actor = await membership.active_member(svc, telegram_id)
    record = await submissions.get(svc.db, submission_id)
    if record is None or record.kind != MINUTES or record.branch_id != actor.branch_id:
        raise UserError("common/stale.j2")
    meeting = await _meeting_in_branch(svc, actor, _meeting_id(record))
    await _may_write(svc, actor, meeting)
    if record.status is SubmissionStatus.SUBMITTED:
        raise UserError("minutes/waiting.j2")
    if not rules_editable(record):
        raise UserError("review/not_editable.j2", status=record.status.value)
    return record, actor


async def _advance(svc: Services, telegram_id: int, record: Submission, content: dict, back: bool,
                   file: tuple[str, str] | None = None, clear_files: bool = False, stay: str | None = None,
                   fresh: bool = False, kept: bool = False, editing: bool = False) -> Form:
    """Save the answer and the next step together, before the next prompt goes out. `fresh`: the next message
    replaces the long field (an edit's 替换); `kept`: a part of a long field was kept and more may follow;
    `editing`: a written long field is open again, 追加 or 替换 to choose (追加 unless 替换 is pressed)."""
    step = stay or ("preview" if back and rules.next_step(content) == "preview" else rules.next_step(content))
    now = svc.now()
    async with svc.db.write() as db:
        await submissions.save_content(db, record.id, content, now)
        if clear_files:
            await submissions.remove_files(db, record.id)
        if file is not None:
            await submissions.add_file(db, record.id, file[0], file[1], None, now)
        data = {"submission_id": record.id, "back": back} if stay else {"submission_id": record.id}
        if fresh:
            data["fresh"] = True
        await conversations.save(db, telegram_id, FORM, step, data, now)
    form = await _form(svc, await submissions.get(svc.db, record.id), step)
    form.extra.update(fresh=fresh, kept=kept, back=back, editing=editing)
    return form


async def answer(svc: Services, telegram_id: int, step: str, data: dict, text: str | None,
                 file: tuple[str, str] | None) -> Form:
    """What the person sent for the current step: a text field, or a photo in the photos step."""
    record, _ = await _own(svc, telegram_id, data["submission_id"])
    content = dict(record.content)
    back = bool(data.get("back"))
    if step == "photos":
        if file is None or file[1] != "photo":
            raise UserError("minutes/photo_expected.j2")
        count = len(await submissions.files(svc.db, record.id))
        if count >= rules.PHOTOS_MAX:
            raise UserError("minutes/too_many_photos.j2", max=rules.PHOTOS_MAX)
        return await _advance(svc, telegram_id, record, content, back, file=file, stay="photos")
    if step == "votes" and text and text.strip() and file is None:  # one motion a line, each checked, kept at once
        meeting = await meetings.get(svc.db, _meeting_id(record))
        content["votes"] = await minutes_votes.added(svc, meeting, [] if data.get("fresh") else content["votes"], text)
        return await _advance(svc, telegram_id, record, content, back, stay="votes", kept=True)
    if step not in rules.TEXT_FIELDS and step != "when":
        raise UserError("minutes/use_buttons.j2")
    label = step if step == "when" else rules.TEXT_FIELDS[step][0]  # the time is named by the template
    if file is not None or text is None:
        raise UserError("minutes/text_expected.j2", field=label)
    text = text.strip()
    if not text:
        raise UserError("minutes/text_expected.j2", field=label)
    if step == "when":
        content["when"] = await _checked_when(svc, record, text)
    else:
        limit = rules.TEXT_FIELDS[step][1]
        if step in rules.LONG_FIELDS:  # appended to what was sent before (an edit's first message replaces it)
            text = rules.append_part(None if data.get("fresh") else content.get(step), text)
        if len(text) > limit:
            raise UserError("common/too_long.j2", field=label, max=limit, length=len(text))
        content[step] = text
        if step in rules.LONG_FIELDS:
            return await _advance(svc, telegram_id, record, content, back, stay=step, kept=True)
    return await _advance(svc, telegram_id, record, content, back)


async def _checked_when(svc: Services, record: Submission, text: str) -> str:
    """A corrected time of a meeting that was held: it cannot lie in the future."""
    branch = await branches.get(svc.db, record.branch_id)
    tz = meeting_service.tz_of(svc, branch)
    now = svc.now()
    result = when_rules.read(text, now, tz, past=True)  # a meeting held: "12月28日" typed in January is last year's
    if isinstance(result, when_rules.Refusal):
        raise UserError("minutes/bad_when.j2", reason=result.reason)
    if result.ambiguous:  # "3点": the form has no buttons for this, so the recorder writes it out
        options = [when_rules.with_default_end(r) for r in result.readings]
        raise UserError("minutes/ambiguous_when.j2",
                        options=[meeting_rules.format_when(r.start, r.end, tz) for r in options])
    held = when_rules.held(result)
    if not held:
        raise UserError("minutes/future_when.j2")
    return meeting_rules.format_when(held[0].start, held[0].end, tz)


async def press(svc: Services, telegram_id: int, submission_id: int, action: str, arg: str | None = None) -> Form:
    """The form's buttons: confirm the pre-filled part, no resolutions, photos done / cleared, edit a field."""
    record, _ = await _own(svc, telegram_id, submission_id)
    conversation = await conversations.get(svc.db, telegram_id)
    step = conversation.step if conversation and conversation.kind == FORM and \
        conversation.data.get("submission_id") == record.id else None
    back = bool(conversation.data.get("back")) if step else False
    content = dict(record.content)
    if action == "confirm" and step == "confirm":
        content["confirmed"] = True
        return await _advance(svc, telegram_id, record, content, back)
    if action == "none" and step == "resolutions":
        content["resolutions"] = ""
        return await _advance(svc, telegram_id, record, content, back)
    if action == "done" and step == "photos":
        content["photos_done"] = True
        return await _advance(svc, telegram_id, record, content, back)
    if action == "clear" and step == "photos":
        return await _advance(svc, telegram_id, record, content, back, clear_files=True, stay="photos")
    if action == "next" and step in rules.LONG_FIELDS and (content.get(step) or "").strip():
        return await _advance(svc, telegram_id, record, content, back)
    if step == "votes" and (action == "none" or action == "next" and content.get("votes")):
        content.update(votes_done=True, votes=[] if action == "none" else content["votes"])
        return await _advance(svc, telegram_id, record, content, back)
    if action == "edit" and arg in EDITABLE_FIELDS and (arg != "votes" or content.get("takes_votes")):
        # Editing from the confirmation keeps the record unconfirmed until 信息无误 is pressed. A long field already
        # written is added to (追加) unless 替换 is chosen: nothing written is lost by an edit. Votes are typed anew.
        written = arg in rules.LONG_FIELDS and bool((content.get(arg) or "").strip())
        return await _advance(svc, telegram_id, record, content, back=step != "confirm", stay=arg, editing=written,
                              fresh=arg == "votes")
    if action in ("append", "replace") and step in rules.LONG_FIELDS:
        return await _advance(svc, telegram_id, record, content, back, stay=step, fresh=action == "replace",
                              editing=True)
    if action == "view":
        return await _advance(svc, telegram_id, record, content, back)
    raise UserError("common/stale.j2")


async def submit(svc: Services, telegram_id: int, submission_id: int) -> Submission:
    """提交: the attendance is fixed into the record as it stands, and the reviewers get the card."""
    record, _ = await _own(svc, telegram_id, submission_id)
    content = dict(record.content)
    if rules.next_step(content) != "preview" or not content.get("agenda") or not content.get("content"):
        raise UserError("minutes/incomplete.j2")
    meeting = await meetings.get(svc.db, _meeting_id(record))
    content["attendance"] = await attendance_of(svc, meeting)
    if content.get("takes_votes"):
        content["voting"] = await minutes_votes.fixed(svc, meeting, content.get("votes") or [])
        content["vote_results"] = minutes_votes.shown(content)  # as the card and the book show them
    now = svc.now()
    async with svc.db.write() as db:
        await submissions.save_content(db, record.id, content, now)
        submitted = await review.submit(svc, db, await submissions.get(db, record.id))
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return submitted


async def _decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """A decided record needs no more deadline reminders (a returned one still does); an approved one is filed
    with the unit above."""
    if decision is not Decision.RETURN:
        await outbox.cancel_prefix(db, minutes_keys.every.scope(_meeting_id(submission)), svc.now())
    if decision is Decision.APPROVE:
        await statements.send_criticism(svc, db, submission)
        c = submission.content
        title = render("filing/minutes_title.j2", kind=c.get("kind"), topic=c.get("topic") or c.get("meeting"),
                       when=c.get("when"))
        await filing.file_record(svc, db, MINUTES, refs.submission(submission.id), submission.branch_id,
                                 plain_text(title), actor_id=submission.decided_by)


async def _todos(svc: Services, member: Member, now) -> list:
    """The records this person keeps that are not written, or were returned for changes."""
    found = [c for c in await choices(svc, member.telegram_id) if c.status in (None, "draft", "returned")]
    return [button("minutes/todo", minutes_cb.pick(c.meeting.id), name=c.info["name"], day=c.day,
                   returned=c.status == "returned") for c in found]


FEATURE = Feature(
    name="minutes",
    relevance={"minutes.remind": still_due, "minutes.overdue": still_due},
    review_kinds=(review.ReviewKind(kind=MINUTES, card_template="minutes/card.j2", fix_hint="/minutes",
                                    fix_data=lambda s: minutes_cb.pick(_meeting_id(s)), on_decided=_decided),),
    digest_sections=(("minutes_overdue", overdue_records, Command.MINUTES),),
    todos=(_todos,),
)
