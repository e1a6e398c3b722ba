"""The monthly theme day (主题党日) on top of meetings: the branch's calendar rule, creating each month's
meeting ahead of time, the theme (the branch's own, or the upper committee's for every branch), and the
secretary's changes, which move the upcoming meeting and its reminders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import themeday as themeday_cb
from bot.domain import calendar, when
from bot.domain.calendar import ThemeDaySettings
from bot.domain.holidays import ThemeDayDate
from bot.domain.meetings import Meeting, MeetingKind, format_when, local_span, may_hold_more, name_of
from bot.domain.models import Branch
from bot.domain.roles import APPROVER_ROLES
from bot.domain.units import ROOT_ID
from bot.errors import UserError
from bot.features import Feature
from bot.keys import meetings as meeting_keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, holidays, membership, policy, unit_themes
from bot.services import meetings as meeting_service
from bot.services.batches import batches
from storage import (
    audit,
    branches,
    conversations,
    marks,
    meetings,
    members,
    theme_due,
    themeday,
)
from storage.connection import Conn

THEME_MAX = 100
PLACE_MAX = 60
NO_VENUE = "不核验"  # the venue step's answer that turns the location check off
DETAILS_MAX = 300
FIELDS = ("rule", "time", "place", "theme", "details", "venue")
# Settings chosen with buttons, and the values offered (named in templates/themeday/buttons.j2).
OPTIONS = {"lead_days": (7, 10, 15), "checkin_before_min": (15, 30, 60), "makeup_days": (7, 14, 30)}


def span(settings: ThemeDaySettings, day: date, tz: str) -> tuple[datetime, datetime, datetime]:
    """(starts_at, ends_at, check-in opens) of the theme day on `day`."""
    start, end = local_span(day, calendar.parse_hhmm(settings.start), calendar.parse_hhmm(settings.end), tz)
    return start, end, start - timedelta(minutes=settings.checkin_before_min)


def _venue(settings: ThemeDaySettings) -> tuple[float, float, int] | None:
    if settings.venue_lat is None or settings.venue_lon is None:
        return None
    return settings.venue_lat, settings.venue_lon, settings.venue_radius_m


async def ensure_meeting(svc: Services, db: Conn, branch: Branch, settings: ThemeDaySettings,
                         year: int, month: int, now: datetime) -> tuple[Meeting, bool]:
    """The branch's theme day for that month, created (with its reminders) if it does not exist yet."""
    existing = await meetings.for_period(db, branch.id, MeetingKind.THEME_DAY, f"{year:04d}-{month:02d}")
    if existing is not None:
        return existing, False
    made = await _create(svc, db, branch, settings, year, month, now)
    await meeting_service.plan_reminders(svc, db, made.meeting, now)
    await _planned(svc, db, made, now)
    return made.meeting, True


@dataclass
class _Made:
    meeting: Meeting
    dated: ThemeDayDate


async def _create(svc: Services, db: Conn, branch: Branch, settings: ThemeDaySettings,
                  year: int, month: int, now: datetime) -> _Made:
    """The month's theme day, on the date the branch's rule gives (off a public holiday); its reminders not yet."""
    period = f"{year:04d}-{month:02d}"
    tz = meeting_service.tz_of(svc, branch)
    dated = await holidays.date_of(db, branch, settings, year, month)  # off a public holiday, by the branch's rule
    starts_at, ends_at, opens_at = span(settings, dated.day, tz)
    meeting = await meetings.create(db, branch_id=branch.id, kind=MeetingKind.THEME_DAY, period=period,
                                    starts_at=starts_at, ends_at=ends_at, checkin_opens_at=opens_at, now=now,
                                    place=settings.place, makeup_days=settings.makeup_days, venue=_venue(settings))
    await audit.record(db, now=now, action="themeday.create", branch_id=branch.id, actor_id=None,
                       subject=refs.meeting(meeting.id), period=period)
    return _Made(meeting, dated)


async def _planned(svc: Services, db: Conn, made: _Made, now: datetime) -> None:
    """What follows a new theme day's reminders: the secretary asked to confirm a date moved off a holiday."""
    if made.dated.moved:
        await holidays.ask_to_confirm(svc, db, made.meeting, made.dated)
    # Planned just now: the daily re-plan may skip it today.
    await marks.claim(db, meeting_keys.replanned(made.meeting.id, now.date()), now)


def due_months(settings: ThemeDaySettings, today: date, tz: str, now: datetime) -> list[tuple[int, int]]:
    """Months whose theme day should exist by now: within the lead time and not yet over (pure)."""
    due = []
    for year, month in calendar.next_months(today, 2):
        day = calendar.occurrence(settings, year, month)
        _, ends_at, _ = span(settings, day, tz)
        if day - timedelta(days=settings.lead_days) <= today and ends_at > now:
            due.append((year, month))
    return due


async def create_due(svc: Services, now: datetime) -> None:
    """Tick: create each branch's coming theme day `lead_days` ahead and ask the secretary for its theme.

    Looking through every branch takes ~0.1 s for a county, so it runs once an hour (and when a branch is added),
    not at every drain."""
    branch_ids = await branches.all_ids(svc.db)
    hour_mark = meeting_keys.theme_days_made(now, len(branch_ids), max(branch_ids, default=0))
    if not await marks.missing(svc.db, [hour_mark]):
        return
    await _create_due(svc, branch_ids, now)
    async with svc.db.write() as db:
        await marks.claim(db, hour_mark, now)


async def _create_due(svc: Services, branch_ids: list[int], now: datetime) -> None:
    all_settings = await policy.theme_settings_by_branch(svc.db, branch_ids)  # "the first week" as its units read it
    candidates = []
    for branch_id in branch_ids:
        branch = await branches.get(svc.db, branch_id)
        settings = all_settings[branch_id]
        tz = meeting_service.tz_of(svc, branch)
        today = now.astimezone(ZoneInfo(tz)).date()
        for year, month in due_months(settings, today, tz, now):
            candidates.append((branch, settings, year, month))
    if not candidates:
        return
    present = await meetings.periods_present(svc.db, MeetingKind.THEME_DAY,
                                             sorted({f"{y:04d}-{m:02d}" for _, _, y, m in candidates}))
    missing = [c for c in candidates if (c[0].id, f"{c[2]:04d}-{c[3]:02d}") not in present]
    # A county's start-up makes 900 theme days with ~60,000 reminders: in batches, one transaction each, with
    # the event loop's turn in between, so sends and updates go on meanwhile.
    async for batch in batches(missing):
        async with svc.db.write() as db:
            made = []
            for branch, settings, year, month in batch:
                if await meetings.for_period(db, branch.id, MeetingKind.THEME_DAY, f"{year:04d}-{month:02d}") is None:
                    made.append(await _create(svc, db, branch, settings, year, month, now))
            await meeting_service.plan_reminders_many(svc, db, [m.meeting for m in made], now)
            for one in made:
                await _planned(svc, db, one, now)
                await _ask_for_theme(svc, db, one.meeting)
        svc.wake_outbox()


async def _ask_for_theme(svc: Services, db: Conn, meeting: Meeting) -> None:
    info = await meeting_service.describe(svc, db, meeting)
    unit = await themeday.theme_for_branch(db, meeting.branch_id, meeting.period)
    prompt = Outgoing(template="themeday/theme_needed.j2",
                      params={**info, "county": unit.title if unit else None, "unit": unit.unit if unit else None},
                      buttons=[[button("themeday/theme", themeday_cb.change("theme")),
                                button("themeday/schedule", themeday_cb.view())]])
    for approver in await members.with_role(db, meeting.branch_id, APPROVER_ROLES):
        await meeting_service.queue(svc, db, approver, prompt, kind="themeday.ask_theme",
                                    key=meeting_keys.ask_theme(meeting.id, approver.id))


@dataclass
class View:
    settings: ThemeDaySettings
    meeting: Meeting | None
    info: dict | None
    county: themeday.UnitTheme | None  # the nearest unit's unified theme for the month: the branch sees whose
    checkin: tuple[str, str, bool] | None = None  # (the check-in its units require, which unit, a venue needed)
    may_hold: bool = False  # the coming day can still hold a 支部党员大会 or 党课 (主题党日+)


async def _next_meeting(svc: Services, branch: Branch, settings: ThemeDaySettings, create: bool) -> Meeting | None:
    """The coming theme day: the scheduled one, else (when `create`) next occurrence's, made now."""
    now = svc.now()
    for meeting in await meetings.upcoming_in_branch(svc.db, branch.id, now):
        if meeting.kind is MeetingKind.THEME_DAY and meeting.period:  # the branch's, not a 党小组's own
            return meeting
    if not create:
        return None
    tz = meeting_service.tz_of(svc, branch)
    today = now.astimezone(ZoneInfo(tz)).date()
    for year, month in calendar.next_months(today, 2):
        _, ends_at, _ = span(settings, calendar.occurrence(settings, year, month), tz)
        if ends_at > now and await meetings.for_period(svc.db, branch.id, MeetingKind.THEME_DAY,
                                                        f"{year:04d}-{month:02d}") is None:
            async with svc.db.write() as db:
                meeting, _ = await ensure_meeting(svc, db, branch, settings, year, month, now)
            svc.wake_outbox()
            return meeting
    return None


async def view(svc: Services, telegram_id: int) -> View:
    """/themeday: the branch's rule and the coming theme day."""
    actor = await membership.approver(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    settings = await policy.theme_settings(svc.db, branch.id)
    meeting = await _next_meeting(svc, branch, settings, create=False)
    info = await meeting_service.describe(svc, svc.db, meeting) if meeting else None
    if meeting is None:
        tz = meeting_service.tz_of(svc, branch)
        today = svc.now().astimezone(ZoneInfo(tz)).date()
        for year, month in calendar.next_months(today, 2):
            starts_at, ends_at, _ = span(settings, calendar.occurrence(settings, year, month), tz)
            if ends_at > svc.now():
                info = {"when": format_when(starts_at, ends_at, tz), "name": name_of(MeetingKind.THEME_DAY, date(year, month, 1)), "theme": None,
                        "details": None, "place": settings.place, "planned_only": True}
                break
    county = await themeday.theme_for_branch(svc.db, branch.id, meeting.period) if meeting else None
    if info is not None:
        year = (meeting.starts_at if meeting else svc.now()).year
        info = {**info, "calendar": await holidays.calendar_note(svc.db, branch.id, year)}
    mode = await policy.checkin_mode(svc.db, branch.id)
    checkin = (policy.value_label("checkin", mode.code), await policy.source_name(svc.db, mode),
               mode.code == "location") if mode.code != "none" else None
    may_hold = meeting is not None and meeting.starts_at > svc.now() and may_hold_more(meeting)
    return View(settings, meeting, info, county, checkin, may_hold)


async def begin_edit(svc: Services, telegram_id: int, field: str) -> View:
    """A 修改 button: remember which field the secretary's next message sets."""
    if field not in FIELDS:
        raise UserError("common/stale.j2")
    shown = await view(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "themeday", field, {}, svc.now())
    return shown


async def apply_edit(svc: Services, telegram_id: int, field: str, text: str | None,
                     location: tuple[float, float] | None = None) -> View:
    """The secretary typed a new rule, time, place, venue, theme or details: validate, save, move the coming day."""
    actor = await membership.approver(svc, telegram_id)
    text = (text or "").strip()
    if field in ("theme", "details"):
        await _set_text(svc, telegram_id, actor, field, text)
        return await view(svc, telegram_id)
    settings = await policy.theme_settings(svc.db, actor.branch_id)
    try:
        if field == "venue":
            if location is None and text != NO_VENUE:
                raise ValueError(text)
            if location is None:
                await _refuse_no_venue(svc, actor.branch_id)
            lat, lon = location if location else (None, None)
            updated = settings.model_copy(update={"venue_lat": lat, "venue_lon": lon})
        elif field == "rule":
            updated = calendar.parse_rule(text, settings)
        elif field == "time":
            updated = calendar.parse_time_range(text, settings)
        elif field == "place":
            if not text or len(text) > PLACE_MAX:
                raise ValueError(text)
            updated = settings.model_copy(update={"place": text})
        else:
            raise UserError("common/stale.j2")
    except ValueError:
        raise UserError(f"themeday/bad_{field}.j2", max=PLACE_MAX) from None
    await _save_settings(svc, telegram_id, actor, field, settings, updated, text)
    return await view(svc, telegram_id)


async def _refuse_no_venue(svc: Services, branch_id: int) -> None:
    """不核验 is refused while the branch's units require a check-in by location (a code or either needs none)."""
    mode = await policy.checkin_mode(svc.db, branch_id)
    if mode.code == "location":
        raise UserError("themeday/venue_required.j2", unit=await policy.source_name(svc.db, mode),
                        mode=policy.value_label("checkin", mode.code))


async def set_option(svc: Services, telegram_id: int, name: str, value: int) -> View:
    """A choice button under 更多设置: how early it is created, the check-in window, the make-up deadline."""
    if name not in OPTIONS or value not in OPTIONS[name]:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id)
    settings = await policy.theme_settings(svc.db, actor.branch_id)
    await _save_settings(svc, telegram_id, actor, name, settings, settings.model_copy(update={name: value}), str(value))
    return await view(svc, telegram_id)


async def _set_text(svc: Services, telegram_id: int, actor, field: str, text: str) -> None:
    """Theme or details of the coming theme day (made now if it is not there yet)."""
    limit = THEME_MAX if field == "theme" else DETAILS_MAX
    if not text:
        raise UserError(f"themeday/bad_{field}.j2", max=limit)
    if len(text) > limit:
        raise UserError("common/too_long.j2", field=field, max=limit, length=len(text))
    branch = await branches.get(svc.db, actor.branch_id)
    settings = await policy.theme_settings(svc.db, branch.id)
    meeting = await _next_meeting(svc, branch, settings, create=True)
    if meeting is None:
        raise UserError("common/stale.j2")
    now = svc.now()
    async with svc.db.write() as db:
        if field == "theme":
            await meetings.set_title(db, meeting.id, text, now)
            await theme_due.mark_theme_set(db, meeting.id, now)
        else:
            await meetings.set_details(db, meeting.id, text, now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action=f"themeday.{field}", branch_id=branch.id, actor_id=actor.id,
                           subject=refs.meeting(meeting.id), value=text)
    await meeting_service.replan(svc, meeting)
    svc.wake_outbox()


async def _save_settings(svc: Services, telegram_id: int, actor, field: str, settings: ThemeDaySettings,
                         updated: ThemeDaySettings, value: str) -> None:
    """Save the branch's settings and move the coming theme day (if it has not started) to match."""
    branch = await branches.get(svc.db, actor.branch_id)
    now = svc.now()
    upcoming = await _next_meeting(svc, branch, settings, create=False)
    moved = None
    if upcoming is not None and upcoming.starts_at > now:
        year, month = (int(p) for p in upcoming.period.split("-"))
        dated = await holidays.date_of(svc.db, branch, updated, year, month)
        moved = span(updated, dated.day, meeting_service.tz_of(svc, branch))
        if moved[1] <= now:
            raise UserError("themeday/would_be_past.j2")
    async with svc.db.write() as db:
        await themeday.save_settings(db, branch.id, updated, now)
        if moved is not None:
            await meetings.reschedule(db, upcoming.id, starts_at=moved[0], ends_at=moved[1], checkin_opens_at=moved[2],
                                      place=updated.place, venue=_venue(updated), makeup_days=updated.makeup_days,
                                      now=now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action=f"themeday.{field}", branch_id=branch.id, actor_id=actor.id,
                           subject=refs.branch(branch.id), value=value)
    if moved is not None:
        await meeting_service.replan(svc, upcoming)
    svc.wake_outbox()


async def set_county_theme(svc: Services, telegram_id: int, period_text: str, title: str) -> tuple[str, int]:
    """An upper-committee admin sets one theme for every branch's theme day of that month; branches that set
    their own keep it. Returns (period, how many branches' reminders now carry it)."""
    if telegram_id not in svc.settings.admins:
        raise UserError("common/not_allowed.j2")
    read = when.read_month(period_text, svc.now().astimezone(ZoneInfo(svc.settings.tz)).date())
    if isinstance(read, when.Refusal) or not re.match(r"^\s*\d{4}", period_text):  # the year is written
        raise UserError("themeday/county_usage.j2")
    period = f"{read[0]:04d}-{read[1]:02d}"
    title = title.strip()
    if not title or len(title) > THEME_MAX:
        raise UserError("themeday/county_usage.j2")
    done = await unit_themes.set_theme(svc, telegram_id, ROOT_ID, period, title)  # the root's: the county's
    return period, done.branches


FEATURE = Feature(name="themeday", ticks=(create_due,))
