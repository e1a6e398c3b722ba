"""Which days are working days for a branch or a unit: the branch's own days over the holiday arrangements its
units entered (nearest first, the root's being the county's) over the `chinese_calendar` package — and whether a
year is known at all, so messages that state a date in an unknown year can say so."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from bot.domain.holidays import CalendarLayer, WorkCalendar
from bot.domain.minutes import Deadline, work_calendar
from bot.domain.minutes import minutes_deadline as deadline_rule
from bot.domain.units import ROOT_ID
from bot.services import policy
from storage import calendars
from storage import units as unit_store
from storage.connection import Conn

# Entries are read from a little before the day in question: a deadline counts working days after a meeting, and
# the digest looks a few months back.
LOOKBACK_DAYS = 400


def _since(around: date) -> date:
    return date.fromordinal(around.toordinal() - LOOKBACK_DAYS)


async def _unit_of(db: Conn, branch_id: int) -> int:
    return await unit_store.unit_of_branch(db, branch_id) or ROOT_ID


async def of_unit(db: Conn, unit_id: int, around: date) -> WorkCalendar:
    """The calendar of a unit's subtree (no branch's own days), for days from about a year before `around`."""
    return WorkCalendar(layers=await calendars.layers(db, unit_id, _since(around)))


async def layers_of_branch(db: Conn, branch_id: int, around: date) -> tuple[CalendarLayer, ...]:
    return await calendars.layers(db, await _unit_of(db, branch_id), _since(around))


async def of_branch(db: Conn, branch_id: int, around: date) -> WorkCalendar:
    """The branch's calendar, for days from about a year before `around` on."""
    return work_calendar(await policy.rules_of(db, branch_id), await layers_of_branch(db, branch_id, around))


async def layers_by_branch(db: Conn, branch_ids: Iterable[int], around: date) -> dict[int, tuple[CalendarLayer, ...]]:
    """Each branch's units' entries, read once per unit (a county's branches share a handful of units)."""
    unit_of = await unit_store.branch_units(db)
    by_unit: dict[int, tuple[CalendarLayer, ...]] = {}
    found = {}
    for branch_id in branch_ids:
        unit = unit_of.get(branch_id) or ROOT_ID
        if unit not in by_unit:
            by_unit[unit] = await calendars.layers(db, unit, _since(around))
        found[branch_id] = by_unit[unit]
    return found


async def unknown_year(db: Conn, branch_id: int, *days: date) -> int | None:
    """The first year among `days` whose public holidays nobody has entered for the branch (nor the package
    knows), or None when every one is known. Cheap for years the package knows: no query."""
    years = sorted({day.year for day in days if not WorkCalendar.package_knows(day.year)})
    if not years:
        return None
    unit = await _unit_of(db, branch_id)
    known = await calendars.years_entered_above(db, unit)
    return next((year for year in years if year not in known), None)


async def minutes_deadline(db: Conn, branch_id: int, starts_at: datetime, tz: str) -> Deadline:
    """When a meeting's record is due, by the branch's calendar."""
    layers = await layers_of_branch(db, branch_id, starts_at.date())
    return deadline_rule(starts_at, tz, await policy.rules_of(db, branch_id), layers)  # the deadline in force
