"""Meetings of every kind: check-in (own, by location, by proxy), leave and make-up through the review
mechanism, reminders, and the close after the day with its tally. Keyed by meeting id, so the theme day
and 三会一课 share it; the theme day's calendar sits on top in bot/services/themeday.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain import meetings as rules
from bot.domain.makeup import meaningful_length
from bot.domain.meetings import KIND_LABELS, Meeting, MeetingKind, Presence, Window
from bot.domain.models import Branch, Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.domain.roles import APPROVER_ROLES, Role, can_proxy_checkin
from bot.errors import UserError
from bot.callbacks import dues as dues_cb
from bot.callbacks import meetings as meetings_cb
from bot.callbacks import review as review_cb
from bot.outgoing import Button, Outgoing, button
from bot.features import Feature
from bot.services import Services, membership, review
from bot.services.digest import line as digest_line
from storage import audit, branches, conversations, marks, members, meetings, outbox, submissions, themeday
from storage import away as standing_leave
from storage.db import Conn

REASON_MAX = 200
MAKEUP_TEXT_MAX = 2000
LEAVE, MAKEUP = "leave", "makeup"
# 组织生活会: an absentee's make-up is a written statement (书面发言), reviewed like any make-up (DOMAIN.md).
STATEMENT_KINDS = frozenset({MeetingKind.LIFE})
MAKEUP_TEMPLATES = {False: ("meetings/makeup_task.j2", "meetings/makeup_reminder.j2"),
                    True: ("talks/statement_task.j2", "talks/statement_reminder.j2")}
# A reminder planned a little after its moment (a drain's delay) still goes out; older moments do not.
LATE_GRACE = timedelta(hours=1)


def tz_of(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz


def ref_of(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


async def theme_of(db: Conn, meeting: Meeting) -> str | None:
    """The meeting's own theme, else (for a theme day) the county-wide one for its month."""
    if meeting.title:
        return meeting.title
    if meeting.kind is MeetingKind.THEME_DAY and meeting.period:
        return await themeday.county_theme(db, meeting.period)
    return None


async def describe(svc: Services, db: Conn, meeting: Meeting) -> dict:
    """What every message about a meeting shows: its name, theme, time and place (local)."""
    branch = await branches.get(db, meeting.branch_id)
    tz = tz_of(svc, branch)
    start = meeting.starts_at.astimezone(ZoneInfo(tz))
    name = f"{start.month}月{KIND_LABELS[meeting.kind]}" if meeting.period else KIND_LABELS[meeting.kind]
    return {
        "name": name, "theme": await theme_of(db, meeting), "details": meeting.details, "place": meeting.place,
        "when": rules.format_when(meeting.starts_at, meeting.ends_at, tz), "branch": branch.name,
        "opens": rules.format_moment(meeting.checkin_opens_at, tz), "ends": rules.format_moment(meeting.ends_at, tz),
        "meeting_id": meeting.id,
    }


async def queue(svc: Services, db: Conn, member: Member, message: Outgoing, *, kind: str,
                key: str) -> None:
    """A message the bot sends on its own (not an answer to a tap): it waits out the branch's quiet hours."""
    if member.telegram_id is None or not member.reachable:
        return
    now = svc.now()
    await outbox.upsert(db, Planned(key=key, chat_id=member.telegram_id, kind=kind, payload=message, due_at=now,
                                    branch_id=member.branch_id, member_id=member.id), now)


def action_buttons(meeting_id: int, proxy: bool = False, dues: bool = False) -> list[list[Button]]:
    row = [button("meetings/checkin", meetings_cb.checkin(meeting_id)), button("meetings/leave", meetings_cb.leave(meeting_id))]
    rows = [row]
    if proxy:
        rows.append([button("meetings/proxy", meetings_cb.proxy_list(meeting_id))])
    if dues:  # the theme day is also the unified dues day (统一交纳党费日)
        rows.append([button("dues/paid", dues_cb.paid(meeting_id))])
    return rows


async def _meeting_in_branch(svc: Services, member: Member, meeting_id: int) -> Meeting:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or meeting.branch_id != member.branch_id or meeting.status == "cancelled":
        raise UserError("common/stale.j2")
    return meeting


async def _expected(db: Conn, meeting: Meeting) -> list[Member]:
    return rules.expected_members(await members.in_branch(db, meeting.branch_id), meeting.audience)


async def _must_attend(svc: Services, meeting: Meeting, member: Member) -> None:
    if member.id not in {m.id for m in await _expected(svc.db, meeting)}:
        raise UserError("meetings/not_expected.j2", **await describe(svc, svc.db, meeting))


async def _window_open(svc: Services, meeting: Meeting) -> None:
    state = rules.checkin_window(meeting.checkin_opens_at, meeting.ends_at, svc.now())
    if meeting.status != "scheduled" or state is not Window.OPEN:
        raise UserError("meetings/window.j2", closed=state is Window.CLOSED or meeting.status != "scheduled",
                        **await describe(svc, svc.db, meeting))


# --- check-in ------------------------------------------------------------------------------------------------------

@dataclass
class CheckIn:
    meeting: Meeting
    presence: Presence | None  # None: a location is needed first
    already: bool = False
    can_proxy: bool = False
    info: dict | None = None


async def meeting_to_check_in(svc: Services, telegram_id: int) -> Meeting:
    """/checkin or /leave without a button: the member's meeting whose window is open, else their next one."""
    member = await membership.active_member(svc, telegram_id)
    now = svc.now()
    candidates = await meetings.open_in_branch(svc.db, member.branch_id, now) or await meetings.upcoming_in_branch(
        svc.db, member.branch_id, now)
    for meeting in candidates:
        if member.id in {m.id for m in await _expected(svc.db, meeting)}:
            return meeting
    raise UserError("meetings/none_open.j2")


async def check_in(svc: Services, telegram_id: int, meeting_id: int,
                   location: tuple[float, float] | None = None) -> CheckIn:
    """The member checks themselves in; inside the window only; with the venue's location check when it has one."""
    member = await membership.active_member(svc, telegram_id)
    meeting = await _meeting_in_branch(svc, member, meeting_id)
    await _must_attend(svc, meeting, member)
    info = await describe(svc, svc.db, meeting)
    current = await meetings.attendance_of(svc.db, meeting.id, member.id)
    if current is not None and current.status in rules.PRESENT:
        return CheckIn(meeting, current.status, already=True, can_proxy=may_proxy(member, meeting), info=info)
    await _window_open(svc, meeting)
    now = svc.now()
    if meeting.venue_lat is not None and meeting.venue_lon is not None:
        if location is None:
            async with svc.db.write() as db:
                await conversations.save(db, telegram_id, "checkin_location", "location", {"meeting_id": meeting.id},
                                         now)
            return CheckIn(meeting, None, info=info)
        distance = rules.distance_m(location[0], location[1], meeting.venue_lat, meeting.venue_lon)
        if distance > (meeting.venue_radius_m or 300):
            raise UserError("meetings/too_far.j2", distance=round(distance), radius=meeting.venue_radius_m, **info)
    presence = rules.presence_at(meeting.starts_at, now)
    async with svc.db.write() as db:
        changed = await meetings.record_presence(db, meeting.id, member.id, presence, None, now)
        await conversations.clear(db, telegram_id)
    if not changed:  # a double tap raced the first one
        current = await meetings.attendance_of(svc.db, meeting.id, member.id)
        return CheckIn(meeting, current.status, already=True, can_proxy=may_proxy(member, meeting), info=info)
    return CheckIn(meeting, presence, can_proxy=may_proxy(member, meeting), info=info)


def may_proxy(member: Member, meeting: Meeting) -> bool:
    """The secretary's side and 签到员 check anyone in; a 党小组长 checks in the people of their own group's 党小组会."""
    leads = Role.GROUP_LEADER in member.roles and member.party_group is not None
    return can_proxy_checkin(member.roles) or leads and meeting.audience == f"group:{member.party_group}"


async def _proxy_actor(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Member, Meeting]:
    actor = await membership.active_member(svc, telegram_id)
    meeting = await _meeting_in_branch(svc, actor, meeting_id)
    if not may_proxy(actor, meeting):
        raise UserError("common/not_allowed.j2")
    return actor, meeting


async def proxy_candidates(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, list[Member], dict]:
    """Members who must attend and have not checked in yet (for the 代签到 list)."""
    _, meeting = await _proxy_actor(svc, telegram_id, meeting_id)
    await _window_open(svc, meeting)
    rows = {a.member_id: a.status for a in await meetings.attendance(svc.db, meeting.id)}
    waiting = [m for m in await _expected(svc.db, meeting) if rows.get(m.id) not in rules.PRESENT]
    return meeting, waiting, await describe(svc, svc.db, meeting)


@dataclass
class ProxyCheckIn:
    member: Member
    presence: Presence
    already: bool


async def proxy_check_in(svc: Services, telegram_id: int, meeting_id: int, member_id: int) -> ProxyCheckIn:
    """The secretary or a 签到员 checks in a member who has no smartphone (marked late after the start)."""
    actor, meeting = await _proxy_actor(svc, telegram_id, meeting_id)
    target = await members.get(svc.db, member_id)
    if target is None or target.branch_id != actor.branch_id or not target.is_active:
        raise UserError("common/stale.j2")
    await _must_attend(svc, meeting, target)
    await _window_open(svc, meeting)
    now = svc.now()
    presence = rules.presence_at(meeting.starts_at, now)
    async with svc.db.write() as db:
        changed = await meetings.record_presence(db, meeting.id, target.id, presence, actor.id, now)
    if not changed:
        current = await meetings.attendance_of(svc.db, meeting.id, target.id)
        return ProxyCheckIn(target, current.status, already=True)
    return ProxyCheckIn(target, presence, already=False)


def correct_buttons(meeting_id: int) -> list[list[Button]]:
    return [[button("meetings/correct", meetings_cb.correct(meeting_id))]]


def tally_buttons(result: MeetingTally) -> list[list[Button]]:
    """Under a closed tally: one button per leave still undecided (opens its 批准 / 不批准 card), and 更正."""
    rows = [[button("meetings/decide_leave", review_cb.show(s.id), name=name)] for s, name in result.undecided[:20]]
    if set(result.tally.absent + result.tally.on_leave) - set(result.made_up):
        rows.append([button("meetings/record_makeup", meetings_cb.record_list(result.meeting.id))])
    return rows + (correct_buttons(result.meeting.id) if result.tally.absent else [])


async def absentees(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, list[Member]]:
    """After a meeting: who was recorded absent — what the secretary may correct."""
    meeting, _ = await _correctable(svc, telegram_id, meeting_id)
    rows = await meetings.attendance(svc.db, meeting.id)
    absent = {a.member_id for a in rows if a.status is Presence.ABSENT}
    return meeting, [m for m in await members.in_branch(svc.db, meeting.branch_id) if m.id in absent]


async def _correctable(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, Member]:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, meeting.branch_id)
    if meeting.status != "closed":
        raise UserError("meetings/correct_not_closed.j2")
    return meeting, actor


async def correct_to_present(svc: Services, telegram_id: int, meeting_id: int, member_id: int) -> Member:
    """The secretary records a member as present after all (they came but did not check in): the absence becomes
    a check-in by the secretary, and the make-up task it caused is withdrawn. Recorded in the audit log."""
    meeting, actor = await _correctable(svc, telegram_id, meeting_id)
    target = await members.get(svc.db, member_id)
    current = await meetings.attendance_of(svc.db, meeting.id, member_id)
    if target is None or target.branch_id != meeting.branch_id or current is None:
        raise UserError("common/stale.j2")
    if current.status is not Presence.ABSENT:
        raise UserError("meetings/correct_not_absent.j2", name=target.name)
    now = svc.now()
    info = await describe(svc, svc.db, meeting)
    async with svc.db.write() as db:
        await meetings.record_presence(db, meeting.id, target.id, Presence.CHECKED_IN, actor.id, now)
        task = await submissions.find(db, MAKEUP, ref_of(meeting.id), target.id)
        if task is not None and task.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED,
                                                SubmissionStatus.SUBMITTED):
            await submissions.set_status(db, task.id, SubmissionStatus.WITHDRAWN, now)
        await outbox.cancel_prefix(db, f"meeting:{meeting.id}:makeup:{target.id}:", now)  # the task and its reminders
        await audit.record(db, now=now, action="attendance.correct", branch_id=meeting.branch_id, actor_id=actor.id,
                           subject=f"meeting:{meeting.id}", member=target.id, was="absent", now_status="checked_in")
        await queue(svc, db, target, Outgoing(template="meetings/corrected.j2", params=info),
                    kind="attendance.corrected", key=f"meeting:{meeting.id}:corrected:{target.id}")
    svc.wake_outbox()
    return target


# --- leave (请假) ----------------------------------------------------------------------------------------------------

async def begin_leave(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """请假 pressed: check it still makes sense, then wait for the reason as the member's next message."""
    member = await membership.active_member(svc, telegram_id)
    meeting = await _meeting_in_branch(svc, member, meeting_id)
    await _must_attend(svc, meeting, member)
    info = await describe(svc, svc.db, meeting)
    if meeting.status != "scheduled" or svc.now() > meeting.ends_at:
        raise UserError("meetings/leave_too_late.j2", **info)
    current = await meetings.attendance_of(svc.db, meeting.id, member.id)
    if current is not None and current.status in rules.PRESENT:
        raise UserError("meetings/leave_checked_in.j2", **info)
    if current is not None and current.status is Presence.ON_LEAVE:
        raise UserError("meetings/leave_already.j2", approved=True, **info)
    existing = await submissions.find(svc.db, LEAVE, ref_of(meeting.id), member.id)
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
        raise UserError("common/too_long.j2", field="请假理由", max=REASON_MAX, length=len(reason))
    return reason


async def submit_leave(svc: Services, telegram_id: int, meeting_id: int, text: str | None) -> dict:
    """The reason arrived: a leave request goes to the secretary's review (批准 / 不批准)."""
    reason = clean_reason(text)
    member = await membership.active_member(svc, telegram_id)
    meeting = await _meeting_in_branch(svc, member, meeting_id)
    info = await describe(svc, svc.db, meeting)
    if meeting.status != "scheduled" or svc.now() > meeting.ends_at:
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)
        raise UserError("meetings/leave_too_late.j2", **info)
    now = svc.now()
    async with svc.db.write() as db:
        submission = await submissions.get_or_create(db, branch_id=member.branch_id, author_id=member.id, kind=LEAVE,
                                                     ref=ref_of(meeting.id), now=now)
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
    meeting_id = int(submission.ref.split(":")[1])
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
    await _assign_makeup(svc, db, meeting, await members.get(db, submission.author_id), status,
                         await describe(svc, db, meeting), due, rules.format_moment(due, tz_of(svc, branch)), now)


# --- the close after the day: tally and make-up tasks ---------------------------------------------------------------

@dataclass
class MeetingTally:
    meeting: Meeting
    info: dict
    tally: rules.Tally
    closed: bool
    made_up: list[str]
    undecided: list[tuple[Submission, str]]  # leave still waiting for the secretary after the close: (request, name)


async def undecided_leaves(db: Conn, meeting_id: int) -> list[Submission]:
    return [s for s in await submissions.for_ref(db, LEAVE, ref_of(meeting_id))
            if s.status is SubmissionStatus.SUBMITTED]


async def tally_of(svc: Services, meeting: Meeting) -> MeetingTally:
    expected = await _expected(svc.db, meeting)
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
    return MeetingTally(meeting, await describe(svc, svc.db, meeting), tally, meeting.status == "closed", made_up,
                        undecided)


def makeup_due(meeting: Meeting) -> datetime:
    return meeting.ends_at + timedelta(days=meeting.makeup_days)


async def close(svc: Services, meeting: Meeting, now: datetime) -> bool:
    """After the end: absentees recorded, the tally to the approvers, a make-up task to each absentee and person on
    leave — all in one transaction, so a stop half-way leaves the meeting open for the next tick."""
    branch = await branches.get(svc.db, meeting.branch_id)
    due = makeup_due(meeting)
    due_text = rules.format_moment(due, tz_of(svc, branch))
    async with svc.db.write() as db:
        if not await meetings.mark_closed(db, meeting.id, now):
            return False
        expected = await _expected(db, meeting)
        # Leave still undecided is settled by the secretary's decision (see _leave_decided), not taken as absence.
        undecided = {s.author_id for s in await undecided_leaves(db, meeting.id)}
        await meetings.record_absences(db, meeting.id, [m.id for m in expected if m.id not in undecided], now)
        await outbox.converge(db, remind_scope(meeting.id), [], now)
        # Reads through svc.db inside this write see its own rows (the absences just recorded).
        result = await tally_of(svc, await meetings.get(db, meeting.id))
        for approver in await members.with_role(db, meeting.branch_id, APPROVER_ROLES):
            await queue(svc, db, approver, Outgoing(
                template="meetings/tally.j2", params={**result.info, "tally": result.tally.__dict__, "closed": True,
                                                      "made_up": [], "due": due_text,
                                                      "undecided": [name for _, name in result.undecided]},
                buttons=tally_buttons(result)),
                kind="meeting.tally", key=f"meeting:{meeting.id}:tally:to:{approver.id}")
        # Members on standing leave make up only where the branch says so (BranchSettings.away_makeup).
        away_ids = set() if branch.settings.away_makeup else await _away_on(svc, db, meeting)
        for row in await meetings.attendance(db, meeting.id):
            if row.status not in (Presence.ABSENT, Presence.ON_LEAVE):
                continue
            if row.status is Presence.ON_LEAVE and row.member_id in away_ids:
                continue
            member = await members.get(db, row.member_id)
            await _assign_makeup(svc, db, meeting, member, row.status, result.info, due, due_text, now)
    svc.wake_outbox()
    return True


async def _assign_makeup(svc: Services, db: Conn, meeting: Meeting, member: Member, status: Presence,
                         info: dict, due: datetime, due_text: str, now: datetime) -> None:
    submission = await submissions.get_or_create(
        db, branch_id=meeting.branch_id, author_id=member.id, kind=MAKEUP, ref=ref_of(meeting.id), now=now,
        content={"meeting": info["name"], "theme": info["theme"], "when": info["when"], "due": due.isoformat(),
                 "meeting_id": meeting.id, "statement": meeting.kind in STATEMENT_KINDS})
    params = {**info, "due": due_text, "status": status.value, "statement": meeting.kind in STATEMENT_KINDS}
    task, _, write = _makeup_kind(meeting, submission.id)
    await queue(svc, db, member, Outgoing(template=task, params=params, buttons=write),
                kind="makeup.task", key=f"meeting:{meeting.id}:makeup:{member.id}:task")
    await outbox.converge(db, makeup_scope(meeting.id, member.id),
                          await makeup_reminders_of(svc, db, meeting.id, member, now), now)


async def makeup_reminders_of(svc: Services, db: Conn, meeting_id: int, member: Member,
                              now: datetime) -> list[Planned]:
    """A member's make-up reminders as the state needs them: only after the close, for an absence or a leave
    whose make-up task stands (a correction to present withdraws it)."""
    meeting = await meetings.get(db, meeting_id)
    row = await meetings.attendance_of(db, meeting_id, member.id)
    task = await submissions.find(db, MAKEUP, ref_of(meeting_id), member.id)
    if (meeting.status != "closed" or row is None or row.status not in (Presence.ABSENT, Presence.ON_LEAVE)
            or task is None or task.status is SubmissionStatus.WITHDRAWN):
        return []
    due = makeup_due(meeting)
    branch = await branches.get(db, meeting.branch_id)
    statement = meeting.kind in STATEMENT_KINDS
    params = {**await describe(svc, db, meeting), "due": rules.format_moment(due, tz_of(svc, branch)),
              "status": row.status.value, "statement": statement}
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


def makeup_scope(meeting_id: int, member_id: int) -> str:
    return f"meeting:{meeting_id}:makeup:{member_id}:remind"


def makeup_reminders_wanted(meeting: Meeting, member: Member, params: dict, template: str,
                            write: list[list[Button]], due: datetime, now: datetime) -> list[Planned]:
    """A member's make-up reminders: two days and three hours before the due date, those still ahead, while the
    member can be reached (whether it was handed in meanwhile is the send-time relevance check's)."""
    if member.telegram_id is None or not member.reachable or not member.is_active:
        return []
    return [Planned(
        key=f"{makeup_scope(meeting.id, member.id)}-{name}", chat_id=member.telegram_id, kind="makeup.remind",
        payload=Outgoing(template=template, params={**params, "last": name == "last"}, buttons=write),
        due_at=at, expires_at=due, branch_id=meeting.branch_id, member_id=member.id)
        for name, at in (("2d", due - timedelta(days=2)), ("last", due - timedelta(hours=3))) if at > now]


async def close_due(svc: Services, now: datetime) -> None:
    """Tick: close every meeting whose end has passed."""
    for meeting in await meetings.due_to_close(svc.db, now):
        await close(svc, meeting, now)


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


# --- reminders -------------------------------------------------------------------------------------------------------

def remind_scope(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:remind"


def wanted_reminders(meeting: Meeting, expected: list[Member], info: dict, tz: str, now: datetime) -> list[Planned]:
    """Every check-in reminder the meeting needs now: each moment for each expected, reachable member; moments
    more than LATE_GRACE past are left out, except that check-in being open is said at once; none once the meeting
    is over, closed or cancelled (whether a member already checked in is the send-time relevance check's)."""
    if meeting.status != "scheduled" or now >= meeting.ends_at:
        return []
    moments = rules.reminder_moments(meeting.starts_at, meeting.checkin_opens_at, tz)
    wanted = []
    for member in expected:
        if member.telegram_id is None or not member.reachable:
            continue
        for index, moment in enumerate(moments):
            # Each reminder is useless once the next one is due (the last one once the meeting is over).
            due_at = moment.due_at
            expires_at = moments[index + 1].due_at if index + 1 < len(moments) else meeting.ends_at
            if moment.due_at < now - LATE_GRACE:
                if moment.name != "remind-open":
                    continue
                due_at = now  # created or moved late: check-in is open, say so now
            wanted.append(Planned(
                key=f"meeting:{meeting.id}:{moment.name}:member:{member.id}",  # every name starts with 'remind'
                chat_id=member.telegram_id, kind="meeting.remind",
                payload=Outgoing(template="meetings/reminder.j2", params={**info, "moment": moment.name},
                                 buttons=action_buttons(meeting.id, proxy=moment.name == "remind-open"
                                                        and can_proxy_checkin(member.roles),
                                                        dues=meeting.kind is MeetingKind.THEME_DAY)),
                due_at=due_at, expires_at=expires_at, branch_id=meeting.branch_id, member_id=member.id))
    return wanted


async def reminders_wanted(svc: Services, db: Conn, meeting: Meeting, now: datetime) -> list[Planned]:
    """The meeting's check-in reminders as its current state (time, members, status) needs them; members on
    approved standing leave that day are not reminded."""
    branch = await branches.get(db, meeting.branch_id)
    away_ids = await _away_on(svc, db, meeting)
    expected = [member for member in await _expected(db, meeting) if member.id not in away_ids]
    return wanted_reminders(meeting, expected, await describe(svc, db, meeting), tz_of(svc, branch), now)


async def plan_reminders(svc: Services, db: Conn, meeting: Meeting, now: datetime) -> int:
    """Plan (or re-plan, after a change or for a newcomer) the meeting's reminders: they converge on what it needs
    now, so a moment a change moved into the past is withdrawn, not sent late. Members on standing leave that day
    are recorded as on leave. Returns how many reminders are wanted."""
    away_ids = await _away_on(svc, db, meeting)
    if away_ids and meeting.status == "scheduled":
        for member in await _expected(db, meeting):
            if member.id in away_ids:
                await meetings.record_leave(db, meeting.id, member.id, None, now)
    wanted = await reminders_wanted(svc, db, meeting, now)
    await outbox.converge(db, remind_scope(meeting.id), wanted, now)
    return len(wanted)


async def _away_on(svc: Services, db: Conn, meeting: Meeting) -> set[int]:
    """Members on approved standing leave (bot/services/away.py) on the meeting's local day."""
    branch = await branches.get(db, meeting.branch_id)
    day = meeting.starts_at.astimezone(ZoneInfo(tz_of(svc, branch))).date()
    return {leave.member_id for leave in await standing_leave.in_branch(db, meeting.branch_id, day)
            if leave.covers(day)}


async def replan(svc: Services, meeting: Meeting) -> None:
    """After a change of time, place or theme: pending reminders take the new time and text (same keys)."""
    now = svc.now()
    async with svc.db.write() as db:
        await plan_reminders(svc, db, await meetings.get(db, meeting.id), now)


def plan_mark(meeting_id: int, now: datetime) -> str:
    return f"meeting:{meeting_id}:plan:{now.date().isoformat()}"


async def replan_daily(svc: Services, now: datetime) -> None:
    """Tick: once a day, re-plan upcoming meetings' reminders, so members who joined since are reminded too."""
    upcoming = {plan_mark(m.id, now): m for m in await meetings.all_upcoming(svc.db, now)}
    for key in await marks.missing(svc.db, list(upcoming)):
        async with svc.db.write() as db:
            if await marks.claim(db, key, now):
                await plan_reminders(svc, db, upcoming[key], now)


async def _still_needed(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """Not for a meeting that is over or cancelled, nor for a member already checked in or on leave."""
    meeting = await meetings.get(svc.db, int(row.key.split(":")[1]))
    if meeting is None or meeting.status != "scheduled" or row.member_id is None:
        return False
    member = await members.get(svc.db, row.member_id)
    if member is None or not member.is_active:
        return False
    return await meetings.attendance_of(svc.db, meeting.id, row.member_id) is None


async def _makeup_still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    parts = row.key.split(":")
    submission = await submissions.find(svc.db, MAKEUP, ref_of(int(parts[1])), int(parts[3]))
    return submission is not None and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


# --- records ---------------------------------------------------------------------------------------------------------

async def history(svc: Services, telegram_id: int) -> tuple[Member, list[dict]]:
    """/me: the member's own attendance, newest first, with the state of each make-up."""
    member = await membership.active_member(svc, telegram_id)
    lines = []
    for meeting, row in await meetings.history_of(svc.db, member.id):
        info = await describe(svc, svc.db, meeting)
        makeup = await submissions.find(svc.db, MAKEUP, ref_of(meeting.id), member.id)
        lines.append({**info, "status": row.status.value, "proxy": row.by_member is not None and row.status in
                      rules.PRESENT, "made_up": row.made_up_at is not None,
                      "makeup": makeup.status.value if makeup else None})
    return member, lines


async def _overdue_makeups(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """Digest: make-ups past their deadline and not handed in (handed-in ones show under 待审核)."""
    lines = []
    for meeting, member_id in await meetings.not_made_up(svc.db, branch.id):
        if makeup_due(meeting) >= now:
            continue
        submission = await submissions.find(svc.db, MAKEUP, ref_of(meeting.id), member_id)
        if submission is not None and submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
            continue
        member = await members.get(svc.db, member_id)
        if member.telegram_id is None:
            continue  # cannot hand it in: listed under 待记录补课 instead
        info = await describe(svc, svc.db, meeting)
        lines.append(digest_line("overdue_makeup", name=member.name, meeting=info["name"]))
    return lines


async def _makeups_to_record(svc: Services, branch: Branch, now: datetime) -> list[str]:
    """Digest: members without a smartphone who missed a meeting; the secretary or a 支委 records their make-up."""
    lines = []
    for meeting, member_id in await meetings.not_made_up(svc.db, branch.id):
        member = await members.get(svc.db, member_id)
        if member.telegram_id is None and member.is_active:
            info = await describe(svc, svc.db, meeting)
            lines.append(digest_line("makeup_to_record", name=member.name, meeting=info["name"]))
    return lines


def parse_month(text: str, today: datetime) -> tuple[int, int]:
    """'12', '12月', '2026-12', '2026年12月' → (year, month); a bare month is the latest one not in the future."""
    cleaned = text.strip().replace("年", "-").replace("月", "").replace("/", "-").replace(".", "-")
    parts = [p for p in cleaned.split("-") if p]
    if len(parts) == 1 and parts[0].isdigit():
        month = int(parts[0])
        year = today.year if month <= today.month else today.year - 1
    elif len(parts) == 2 and all(p.isdigit() for p in parts):
        year, month = int(parts[0]), int(parts[1])
    else:
        raise ValueError(text)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise ValueError(text)
    return year, month


async def _records_reader(svc: Services, telegram_id: int) -> Member:
    actor = await membership.active_member(svc, telegram_id)
    if not (actor.is_committee or can_proxy_checkin(actor.roles)):
        raise UserError("common/not_allowed.j2")
    return actor


async def attendance_for_meeting(svc: Services, telegram_id: int, meeting_id: int) -> MeetingTally:
    actor = await _records_reader(svc, telegram_id)
    return await tally_of(svc, await _meeting_in_branch(svc, actor, meeting_id))


async def attendance_for(svc: Services, telegram_id: int, month_text: str | None) -> tuple[str, list[MeetingTally]]:
    """/attendance [month]: the tallies of that month's meetings (default: the latest meeting so far)."""
    actor = await _records_reader(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    zone = ZoneInfo(tz_of(svc, branch))
    now = svc.now()
    if month_text:
        try:
            year, month = parse_month(month_text, now.astimezone(zone))
        except ValueError:
            raise UserError("meetings/bad_month.j2") from None
        since = datetime(year, month, 1, tzinfo=zone)
        until = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
        chosen = await meetings.in_branch(svc.db, branch.id, since=since, until=until)
        label = f"{year}年{month}月"
    else:
        started = await meetings.in_branch(svc.db, branch.id, until=now + timedelta(seconds=1))
        if not started:
            started = (await meetings.upcoming_in_branch(svc.db, branch.id, now))[:1]
        chosen = started[-1:]
        label = None
    return label or "", [await tally_of(svc, m) for m in chosen]


async def _catch_up_new_member(svc: Services, db: Conn, member: Member, now: datetime) -> None:
    """Someone joined before a coming meeting: plan their reminders now rather than at tomorrow's re-plan."""
    for meeting in await meetings.upcoming_in_branch(db, member.branch_id, now):
        await plan_reminders(svc, db, meeting, now)


FEATURE = Feature(
    name="meetings",
    ticks=(close_due, replan_daily),
    relevance={"meeting.remind": _still_needed, "makeup.remind": _makeup_still_open},
    review_kinds=(
        review.ReviewKind(kind=LEAVE, label="请假申请", card_template="meetings/leave_card.j2", allow_return=False,
                          approve_label="批准", reject_label="不批准", approved_word="已批准", rejected_word="未获批准",
                          rejected_note="meetings/leave_rejected_note.j2", on_decided=_leave_decided),
        review.ReviewKind(kind=MAKEUP, label="补课材料", card_template="meetings/makeup_card.j2", fix_hint="/makeup",
                          on_decided=_makeup_decided),
    ),
    digest_sections=(("补课逾期", _overdue_makeups), ("待记录补课（无智能手机）", _makeups_to_record)),
    join_hooks=(_catch_up_new_member,),
)
