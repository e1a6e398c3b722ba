"""The theme day and public holidays: the month's date after the holiday rule (the national calendar from
`chinese_calendar` with the branch's own extra days on top), and the secretary's 确认 / 改日期 when it moved."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.callbacks import holidays as holidays_cb
from bot.domain import calendar, dates, when
from bot.domain.calendar import ThemeDaySettings
from bot.domain.holidays import MOVE_LABELS, ThemeDayDate, WorkCalendar, theme_day_date
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Branch
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.features import Feature
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, membership, policy, workdays
from bot.services import meetings as meeting_service
from storage import audit, branches, conversations, marks, meetings, members
from storage.connection import Conn


async def date_of(db: Conn, branch: Branch, settings: ThemeDaySettings, year: int, month: int,
                  work_calendar: WorkCalendar | None = None) -> ThemeDayDate:
    """The month's theme day after the holiday rule in force for the branch (its own, or its units' policy), by
    its calendar (read now unless given)."""
    planned = calendar.occurrence(settings, year, month)
    if work_calendar is None:
        work_calendar = await workdays.of_branch(db, branch.id, planned)
    return theme_day_date(planned, work_calendar, (await policy.settings_of(db, branch)).theme_holiday_move)


_day_text = dates.day_weekday


async def ask_to_confirm(svc: Services, db: Conn, meeting: Meeting, moved: ThemeDayDate) -> None:
    """The rule's date is a holiday and the theme day moved: the approvers confirm the new date or change it."""
    branch = await branches.get(db, meeting.branch_id)
    message = Outgoing(template="holidays/moved.j2", params={
        "holiday": moved.holiday, "planned": _day_text(moved.planned), "day": _day_text(moved.day),
        "how": MOVE_LABELS[(await policy.settings_of(db, branch)).theme_holiday_move], "month": int(meeting.period[5:])},
        buttons=[[button("holidays/confirm", holidays_cb.confirm(meeting.id)),
                  button("holidays/change", holidays_cb.change(meeting.id))]])
    for approver in await members.with_role(db, meeting.branch_id, APPROVER_ROLES):
        await meeting_service.queue(svc, db, approver, message, kind="themeday.holiday",
                                    key=meeting_keys.holiday_move(meeting.id, approver.id))


async def calendar_note(db: Conn, branch_id: int, year: int) -> dict:
    """For the secretary's view: whether anyone has entered `year`'s public holidays for the branch (else only
    weekends are known), and whose arrangement it is."""
    known = await workdays.of_branch(db, branch_id, date(year, 1, 1))
    return {"known": known.knows(year), "year": year, "source": known.source_of_year(year)}


async def _theme_day(svc: Services, telegram_id: int, meeting_id: int) -> tuple[Meeting, object]:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or meeting.kind is not MeetingKind.THEME_DAY:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, meeting.branch_id)
    if meeting.status != "scheduled" or meeting.starts_at <= svc.now():
        raise UserError("holidays/too_late.j2")
    return meeting, actor


async def confirm(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """确认: the moved date stands (recorded once)."""
    meeting, actor = await _theme_day(svc, telegram_id, meeting_id)
    now = svc.now()
    async with svc.db.write() as db:
        if await marks.claim(db, meeting_keys.holiday_confirmed(meeting.id), now):
            await audit.record(db, now=now, action="themeday.holiday_confirm", branch_id=meeting.branch_id,
                               actor_id=actor.id, subject=refs.meeting(meeting.id))
    return await meeting_service.describe(svc, svc.db, meeting)


async def begin_change(svc: Services, telegram_id: int, meeting_id: int) -> dict:
    """改日期: the secretary's next message is the day (same hours)."""
    meeting, _ = await _theme_day(svc, telegram_id, meeting_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "holiday_date", "day", {"meeting_id": meeting.id}, svc.now())
    return await meeting_service.describe(svc, svc.db, meeting)


async def change(svc: Services, telegram_id: int, meeting_id: int, text: str | None) -> dict:
    """The typed day: the theme day moves there at the same local hours, its reminders follow."""
    meeting, actor = await _theme_day(svc, telegram_id, meeting_id)
    branch = await branches.get(svc.db, meeting.branch_id)
    zone = ZoneInfo(meeting_service.tz_of(svc, branch))
    now = svc.now()
    day = when.read_day(text or "", now.astimezone(zone).date())
    if isinstance(day, when.Refusal):
        raise UserError("holidays/bad_day.j2")
    start_local, end_local = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    starts_at = datetime.combine(day, start_local.time(), tzinfo=zone)
    ends_at = datetime.combine(day, end_local.time(), tzinfo=zone)
    if starts_at <= now:
        raise UserError("holidays/bad_day.j2")
    opens_at = starts_at - (meeting.starts_at - meeting.checkin_opens_at)
    venue = (meeting.venue_lat, meeting.venue_lon, meeting.venue_radius_m) if meeting.venue_lat is not None else None
    async with svc.db.write() as db:
        await meetings.reschedule(db, meeting.id, starts_at=starts_at, ends_at=ends_at, checkin_opens_at=opens_at,
                                  place=meeting.place, venue=venue, makeup_days=meeting.makeup_days, now=now)
        await marks.claim(db, meeting_keys.holiday_confirmed(meeting.id), now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="themeday.holiday_change", branch_id=meeting.branch_id,
                           actor_id=actor.id, subject=refs.meeting(meeting.id), day=day.isoformat())
    await meeting_service.replan(svc, meeting)
    svc.wake_outbox()
    return await meeting_service.describe(svc, svc.db, await meetings.get(svc.db, meeting.id))


FEATURE = Feature(name="holidays")
