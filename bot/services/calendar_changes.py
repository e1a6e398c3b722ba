"""When a unit enters a year's public holidays, what was already planned in its subtree converges on the new
calendar: theme days that now fall on a day off move by each branch's holiday rule (the secretary confirms, as when
a theme day is first planned on a holiday), minutes deadlines are recomputed and their reminders re-planned, the
pending reminders of that year lose their "not known yet" line — none duplicated, none lost (the same keys converge)
— and each branch's approvers are told once, in one message, what moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import holidays as holidays_cb
from bot.domain.holidays import CalendarLayer, ThemeDayDate
from bot.domain.meetings import KIND_LABELS, Meeting, MeetingKind
from bot.domain.minutes import MeetingRules, minutes_deadline, work_calendar
from bot.domain.models import Branch
from bot.domain.roles import APPROVER_ROLES
from bot.domain.units import Unit
from bot.keys import calendars as calendar_keys
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, holidays, policy, themeday, workdays
from bot.services import meetings as meeting_service
from bot.services import minutes_deadline as deadlines
from bot.services.batches import batches
from storage import audit, branches, meetings, members, minutes, outbox, submissions
from storage.connection import Conn

# Meetings whose minutes deadline may still be ahead: a deadline is at most a few weeks after the meeting.
DEADLINE_LOOKBACK = timedelta(days=40)


@dataclass(frozen=True)
class Before:
    """A branch's calendar before the entry: its own days, and its units' entries."""

    rules: MeetingRules
    layers: tuple[CalendarLayer, ...]


async def snapshot(svc: Services, branch_ids: list[int], now: datetime) -> dict[int, Before]:
    layers = await workdays.layers_by_branch(svc.db, branch_ids, now.date())
    return {branch_id: Before(await policy.rules_of(svc.db, branch_id), layers[branch_id])
            for branch_id in branch_ids}


@dataclass
class Change:
    """One line of the message to the branch's approvers."""

    what: str  # theme_moved | theme_on_holiday | deadline
    kind: str  # the meeting's kind label: 主题党日, 支委会 …
    held: date  # the meeting's day (for a theme day: its date before the change)
    old: date
    new: date | None = None
    holiday: str | None = None
    meeting_id: int | None = None

    def as_params(self) -> dict:
        """What the stored message keeps (dates as ISO text; templates show them with the `day` filter)."""
        return {"what": self.what, "kind": self.kind, "held": self.held.isoformat(), "old": self.old.isoformat(),
                "new": self.new.isoformat() if self.new else None, "holiday": self.holiday}


async def converge(svc: Services, unit: Unit, year: int, before: dict[int, Before], now: datetime) -> int:
    """Every branch of the subtree converges on its new calendar, in batches (one transaction each); returns how
    many branches' approvers were told what moved."""
    branch_ids = sorted(before)
    after = await workdays.layers_by_branch(svc.db, branch_ids, now.date())
    told = 0
    async for batch in batches(branch_ids):
        async with svc.db.write() as db:
            for branch_id in batch:
                branch = await branches.get(db, branch_id)
                changes = await _converge_branch(svc, db, branch, before[branch_id], after[branch_id], year, now)
                if changes:
                    await _tell(svc, db, branch, unit, year, changes, now)
                    told += 1
    return told


async def _converge_branch(svc: Services, db: Conn, branch: Branch, old: Before, layers: tuple[CalendarLayer, ...],
                           year: int, now: datetime) -> list[Change]:
    tz = meeting_service.tz_of(svc, branch)
    upcoming = [m for m in await meetings.upcoming_in_branch(db, branch.id, now) if m.starts_at > now]
    changes = []
    for meeting in upcoming:
        if meeting.kind is MeetingKind.THEME_DAY and meeting.period:  # the branch's, on its rule's date
            changes.extend(await _theme_day(svc, db, branch, meeting, old, layers, tz, now))
    recent = await meetings.in_branch(db, branch.id, since=now - DEADLINE_LOOKBACK)
    for meeting in recent:
        changes.extend(await _deadline(svc, db, branch, meeting, old, layers, tz, now))
    touched = [await meetings.get(db, m.id) for m in upcoming]
    await meeting_service.plan_reminders_many(svc, db, [m for m in touched if _local(m.starts_at, tz).year == year],
                                              now)
    await _makeups(svc, db, recent, year, tz, now)
    return changes


def _local(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


async def _theme_day(svc: Services, db: Conn, branch: Branch, meeting: Meeting, old: Before,
                     layers: tuple[CalendarLayer, ...], tz: str, now: datetime) -> list[Change]:
    """A theme day still on its rule's date moves with the new calendar; one the secretary dated by hand stays,
    and is pointed out when that day is now a holiday."""
    settings = await policy.theme_settings(db, branch.id)
    year, month = (int(part) for part in meeting.period.split("-"))
    rules = await policy.rules_of(db, branch.id)
    was = await holidays.date_of(db, branch, settings, year, month, work_calendar(old.rules, old.layers))
    new_calendar = work_calendar(rules, layers)
    now_is: ThemeDayDate = await holidays.date_of(db, branch, settings, year, month, new_calendar)
    day = _local(meeting.starts_at, tz)
    label = KIND_LABELS[MeetingKind.THEME_DAY]
    if day == was.day and now_is.day != was.day:
        starts_at, ends_at, opens_at = themeday.span(settings, now_is.day, tz)
        if ends_at > now:
            await meetings.reschedule(db, meeting.id, starts_at=starts_at, ends_at=ends_at, checkin_opens_at=opens_at,
                                      place=meeting.place, venue=_venue(meeting), makeup_days=meeting.makeup_days,
                                      now=now)
            await audit.record(db, now=now, action="themeday.calendar_move", branch_id=branch.id, actor_id=None,
                               subject=refs.meeting(meeting.id), old=day.isoformat(), new=now_is.day.isoformat())
            return [Change("theme_moved", label, day, day, now_is.day, now_is.holiday, meeting.id)]
    holiday = new_calendar.holiday_name(day)
    if day != was.day and holiday and not work_calendar(old.rules, old.layers).holiday_name(day):
        return [Change("theme_on_holiday", label, day, day, None, holiday, meeting.id)]
    return []


def _venue(meeting: Meeting) -> tuple[float, float, int] | None:
    if meeting.venue_lat is None or meeting.venue_lon is None:
        return None
    return meeting.venue_lat, meeting.venue_lon, meeting.venue_radius_m


async def _deadline(svc: Services, db: Conn, branch: Branch, meeting: Meeting, old: Before,
                    layers: tuple[CalendarLayer, ...], tz: str, now: datetime) -> list[Change]:
    """A record's deadline recomputed; its reminders re-planned when it moved (and said, while still ahead)."""
    rules = await policy.rules_of(db, branch.id)
    was = minutes_deadline(meeting.starts_at, tz, old.rules, old.layers)
    now_is = minutes_deadline(meeting.starts_at, tz, rules, layers)
    if was.due_day == now_is.due_day or await minutes.staff_of(db, meeting.id) is None:
        return []
    await deadlines.plan_deadline(svc, db, meeting, now)
    record = await deadlines.record_of(db, meeting.id)
    if max(was.due_at, now_is.due_at) <= now or (record is not None and not deadlines.rules_editable(record)):
        return []
    return [Change("deadline", KIND_LABELS[meeting.kind], _local(meeting.starts_at, tz), was.due_day,
                   now_is.due_day)]


async def _makeups(svc: Services, db: Conn, recent: list[Meeting], year: int, tz: str, now: datetime) -> None:
    """Pending make-up reminders due in the entered year are re-planned (their text loses the "not known" line)."""
    for meeting in recent:
        due = meeting_service.makeup_due(meeting)
        if meeting.status != "closed" or due <= now or _local(due, tz).year != year:
            continue
        for task in await submissions.for_ref(db, meeting_service.MAKEUP, meeting_service.ref_of(meeting.id)):
            member = await members.get(db, task.author_id)
            if member is not None:
                wanted = await meeting_service.makeup_reminders_of(svc, db, meeting.id, member, now)
                await outbox.converge(db, meeting_service.makeup_scope(meeting.id, member.id), wanted, now)


async def _tell(svc: Services, db: Conn, branch: Branch, unit: Unit, year: int, changes: list[Change],
                now: datetime) -> None:
    """One message to each approver of the branch: what moved, with 确认 / 改日期 under each moved theme day."""
    rows: list[list[Button]] = []
    for change in changes:
        if change.meeting_id is None:
            continue
        if change.what == "theme_moved":
            day = {"day": change.new.isoformat() if change.new else change.old.isoformat()}
            rows.append([button("calendars/confirm_move", holidays_cb.confirm(change.meeting_id), **day),
                         button("calendars/change_day", holidays_cb.change(change.meeting_id), **day)])
        elif change.what == "theme_on_holiday":
            rows.append([button("calendars/change_day", holidays_cb.change(change.meeting_id),
                                day=change.old.isoformat())])
    message = Outgoing(template="calendars/moved.j2", params={
        "unit": unit.name, "year": year, "changes": [change.as_params() for change in changes]}, buttons=rows)
    for approver in await members.with_role(db, branch.id, APPROVER_ROLES):
        await meeting_service.queue(svc, db, approver, message, kind="calendar.moved",
                                    key=calendar_keys.moved(unit.id, year, now, branch.id, approver.id))
