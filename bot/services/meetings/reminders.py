"""A meeting's check-in reminders: planned convergently from its current state (time, members, standing leave),
re-planned daily and after every change, and checked again at send time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain import meetings as rules
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import SubmissionStatus
from bot.domain.roles import can_proxy_checkin
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services
from bot.services.batches import batches
from bot.services.meetings.common import (
    LATE_GRACE,
    MAKEUP,
    action_buttons,
    describe,
    expected_of,
    tz_of,
)
from storage import away as standing_leave
from storage import branches, marks, meetings, members, outbox, submissions
from storage.connection import Conn

# --- reminders -------------------------------------------------------------------------------------------------------


def wanted_reminders(meeting: Meeting, expected: list[Member], info: dict, tz: str, now: datetime) -> list[Planned]:
    """Every check-in reminder the meeting needs now: each moment for each expected, reachable member; moments
    more than LATE_GRACE past are left out, except that check-in being open is said at once; none once the meeting
    is over, closed or cancelled (whether a member already checked in is the send-time relevance check's)."""
    if meeting.status != "scheduled" or now >= meeting.ends_at:
        return []
    moments = rules.reminder_moments(meeting.starts_at, meeting.checkin_opens_at, tz)
    # Built once per meeting and moment and shared by its members' reminders (one object each, so the outbox
    # writes its text once too): a county plans tens of thousands of them.
    buttons = {proxy: action_buttons(meeting.id, proxy=proxy, dues=meeting.kind is MeetingKind.THEME_DAY
                                     and meeting.period is not None)  # the branch's theme day is its dues day
               for proxy in (False, True)}
    payloads = {(moment.name, proxy): Outgoing(template="meetings/reminder.j2",
                                               params={**info, "moment": moment.name}, buttons=buttons[proxy])
                for moment in moments for proxy in (False, True)}
    keys = {moment.name: meeting_keys.reminder.ending(meeting.id, moment.name) for moment in moments}
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
                key=keys[moment.name](member.id),
                chat_id=member.telegram_id, kind="meeting.remind",
                payload=payloads[moment.name, moment.name == "remind-open" and can_proxy_checkin(member.roles)],
                due_at=due_at, expires_at=expires_at, branch_id=meeting.branch_id, member_id=member.id))
    return wanted


async def reminders_wanted(svc: Services, db: Conn, meeting: Meeting, now: datetime) -> list[Planned]:
    """The meeting's check-in reminders as its current state (time, members, status) needs them; members on
    approved standing leave that day are not reminded."""
    return await _wanted(svc, db, meeting, await away_on(svc, db, meeting), now)


async def _wanted(svc: Services, db: Conn, meeting: Meeting, away_ids: set[int], now: datetime) -> list[Planned]:
    branch = await branches.get(db, meeting.branch_id)
    expected = [member for member in await expected_of(db, meeting) if member.id not in away_ids]
    return wanted_reminders(meeting, expected, await describe(svc, db, meeting), tz_of(svc, branch), now)


async def plan_reminders(svc: Services, db: Conn, meeting: Meeting, now: datetime) -> int:
    """Plan (or re-plan, after a change or for a newcomer) the meeting's reminders: they converge on what it needs
    now, so a moment a change moved into the past is withdrawn, not sent late. Members on standing leave that day
    are recorded as on leave. Returns how many reminders are wanted."""
    return await plan_reminders_many(svc, db, [meeting], now)


async def plan_reminders_many(svc: Services, db: Conn, planned: Sequence[Meeting], now: datetime) -> int:
    """`plan_reminders` for several meetings in one go (the county's theme days, the daily re-plan): each meeting's
    reminders are worked out, then all of them converge together in a few statements. Returns how many reminders
    are wanted in all."""
    plans = []
    for meeting in planned:
        away_ids = await away_on(svc, db, meeting)
        if away_ids and meeting.status == "scheduled":
            for member in await expected_of(db, meeting):
                if member.id in away_ids:
                    await meetings.record_leave(db, meeting.id, member.id, None, now)
        plans.append((meeting_keys.reminder.scope(meeting.id), await _wanted(svc, db, meeting, away_ids, now)))
    await outbox.converge_many(db, plans, now)
    return sum(len(wanted) for _, wanted in plans)


async def away_on(svc: Services, db: Conn, meeting: Meeting) -> set[int]:
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



async def replan_daily(svc: Services, now: datetime) -> None:
    """Tick: once a day, re-plan upcoming meetings' reminders, so members who joined since are reminded too.
    In batches (one transaction each), the event loop's turn in between: a county's meetings take a while."""
    ids = await meetings.upcoming_ids(svc.db, now)
    missing = await marks.missing(svc.db, [meeting_keys.replanned(i, now.date()) for i in ids])
    if not missing:  # the day's re-planning is done: known from the ids alone, no meeting read whole
        return
    upcoming = {meeting_keys.replanned(m.id, now.date()): m for m in await meetings.all_upcoming(svc.db, now)}
    async for keys in batches([key for key in upcoming if key in missing]):
        async with svc.db.write() as db:
            claimed = [upcoming[key] for key in keys if await marks.claim(db, key, now)]
            await plan_reminders_many(svc, db, claimed, now)


async def _still_needed(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """Not for a meeting that is over or cancelled, nor for a member already checked in or on leave."""
    meeting = await meetings.get(svc.db, meeting_keys.reminder.read(row.key).meeting)
    if meeting is None or meeting.status != "scheduled" or row.member_id is None:
        return False
    member = await members.get(svc.db, row.member_id)
    if member is None or not member.is_active:
        return False
    return await meetings.attendance_of(svc.db, meeting.id, row.member_id) is None


async def _makeup_still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    key = meeting_keys.makeup_reminder.read(row.key)
    submission = await submissions.find(svc.db, MAKEUP, refs.meeting(key.meeting), key.member)
    return submission is not None and submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


