"""A unit's unified theme for a month (统一主题): any unit's officers set it for their subtree with buttons — the
month from a short list, then the theme typed — and the nearest unit's theme is a branch's theme day's unless the
branch set its own. The branch sees which unit's it is (/themeday, the reminder asking for the theme); /countytheme
is the root's, typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.domain import calendar
from bot.domain.meetings import MeetingKind
from bot.domain.units import Unit
from bot.errors import UserError
from bot.keys import refs
from bot.services import Services, units
from bot.services import meetings as meeting_service
from storage import audit, conversations, meetings, themeday
from storage import units as unit_store

THEME_MAX = 100
MONTHS_AHEAD = 3  # this month and the two after it are offered
FORM = "unit_theme"


def period_code(year: int, month: int) -> int:
    """The month as a button carries it: 202612."""
    return year * 100 + month


def period_text(code: int) -> str:
    return f"{code // 100:04d}-{code % 100:02d}"


@dataclass
class Month:
    code: int  # 202612
    year: int
    month: int
    theme: str | None  # the unit's own theme for it, if set


@dataclass
class Months:
    unit: Unit
    months: list[Month]


def _today(svc: Services) -> date:
    return svc.now().astimezone(ZoneInfo(svc.settings.tz)).date()


async def months(svc: Services, telegram_id: int, unit_id: int) -> Months:
    """📌 统一主题: the months an officer of the unit (or above it) may set its theme for, with what is set."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    found = []
    for year, month in calendar.next_months(_today(svc), MONTHS_AHEAD):
        code = period_code(year, month)
        found.append(Month(code, year, month, await themeday.unit_theme(svc.db, unit.id, period_text(code))))
    return Months(unit, found)


async def _offered(svc: Services, telegram_id: int, unit_id: int, code: int) -> tuple[Unit, Month]:
    shown = await months(svc, telegram_id, unit_id)
    month = next((m for m in shown.months if m.code == code), None)
    if month is None:  # a month gone by, or one never offered: forged or stale
        raise UserError("policy/theme_month_gone.j2")
    return shown.unit, month


async def begin(svc: Services, telegram_id: int, unit_id: int, code: int) -> tuple[Unit, Month]:
    """A month pressed: the officer's next message is the theme."""
    unit, month = await _offered(svc, telegram_id, unit_id, code)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "title", {"unit_id": unit.id, "period": month.code}, svc.now())
    return unit, month


@dataclass
class Set:
    unit: Unit
    period: str
    title: str
    branches: int  # branches of the subtree whose coming theme day now carries it


async def typed(svc: Services, telegram_id: int, text: str | None, data: dict) -> Set:
    """The theme typed after a month was pressed: set (re-checked: the unit, the month)."""
    unit, month = await _offered(svc, telegram_id, int(data.get("unit_id", 0)), int(data.get("period", 0)))
    done = await set_theme(svc, telegram_id, unit.id, period_text(month.code), text or "")
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    return done


async def set_theme(svc: Services, telegram_id: int | None, unit_id: int, period: str, title: str) -> Set:
    """The unit's theme for the month: its subtree's theme days without their own theme carry it (reminders
    re-planned). From chat the setter must be an officer of the unit or above it; audited."""
    unit = await units.unit_for(svc, telegram_id, unit_id)
    title = " ".join((title or "").split())
    if not title or len(title) > THEME_MAX:
        raise UserError("policy/theme_bad.j2", max=THEME_MAX, length=len(title))
    now = svc.now()
    async with svc.db.write() as db:
        await themeday.set_unit_theme(db, unit.id, period, title, telegram_id, now)
        await audit.record(db, now=now, action="themeday.unit_theme", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), period=period, theme=title, by=telegram_id)
    under = {b.id for b in await unit_store.branches_under(svc.db, [unit.id])}
    carried = 0
    for meeting in await meetings.all_upcoming(svc.db, now):
        if (meeting.kind is MeetingKind.THEME_DAY and meeting.period == period and not meeting.title
                and meeting.branch_id in under):
            await meeting_service.replan(svc, meeting)
            carried += 1
    svc.wake_outbox()
    return Set(unit, period, title, carried)
