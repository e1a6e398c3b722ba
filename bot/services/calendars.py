"""The county enters next year's public holidays once, for every branch below: an officer pastes (or forwards) the
State Council's notice, or runs `zhibu holidays import`; zhibu reads it (bot/domain/holiday_notice.py), shows the
year as a preview, and on 确认 stores it as the unit's arrangement — the nearest unit's entry wins for its subtree
(bot/services/workdays.py). What was already planned then converges (bot/services/calendar_changes.py). While next
year is unknown, the root's officers are reminded once a week from 1 November, with the button that starts entering.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import uploads
from bot.callbacks import calendars as calendars_cb
from bot.domain import holiday_notice as notice
from bot.domain.holiday_notice import Refusal, Schedule
from bot.domain.holidays import DAY_KIND_LABELS, DayKind, WorkCalendar
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.units import ROOT_ID, Unit
from bot.errors import UserError
from bot.features import Feature
from bot.keys import calendars as calendar_keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, calendar_changes, units, workdays
from storage import audit, branches, calendars, conversations, marks, outbox
from storage import units as unit_store

FORM = "holiday_notice"
TEXT_MAX = 20_000  # a notice is ~1,500 characters; anything far longer is not one
UNKNOWN = "calendar.unknown"
REMIND_FROM_MONTH = 11  # the State Council publishes next year's arrangement in November


def read(text: str) -> Schedule:
    """The notice's schedule, or the refusal naming the line it could not read."""
    if len(text) > TEXT_MAX:
        raise UserError("calendars/too_long.j2", max=TEXT_MAX)
    found = notice.parse_notice(text)
    if isinstance(found, Refusal):
        raise UserError("calendars/refused.j2", problem=found.problem.value, line=(found.line or "")[:100],
                        detail=found.detail[:100])
    return found


FILE_MAX = 1024 * 1024  # a year is ~40 rows; a megabyte is far beyond any real table or notice
ROWS_MAX = 1000


def read_file(name: str, content: bytes) -> Schedule:
    """A notice saved as text (.txt), or a table of `date, 放假|上班[, festival]` rows (.csv, .xlsx)."""
    if len(content) > FILE_MAX:
        raise UserError("calendars/file_too_big.j2", max_kb=FILE_MAX // 1024)
    suffix = name.lower().rsplit(".", 1)[-1]
    if suffix == "xlsx":
        found = notice.parse_rows(_xlsx_rows(content))
    elif suffix == "csv":
        text = content.decode("utf-8-sig", errors="replace")
        rows = list(csv.reader(io.StringIO(text)))[:ROWS_MAX]
        found = notice.parse_rows([(n, row) for n, row in enumerate(rows, start=1)])
    else:
        return read(content.decode("utf-8-sig", errors="replace"))
    if isinstance(found, Refusal):
        raise UserError("calendars/refused.j2", problem=found.problem.value, line=(found.line or "")[:100],
                        detail=found.detail[:100])
    return found


def _xlsx_rows(content: bytes) -> list[tuple[int, tuple]]:
    import openpyxl  # imported here: the running bot stays lean (tests/unit/test_lean_start.py)

    uploads.check_xlsx(content)  # the upload guard first: no DTD or entity, no giant cell, sheet or zip bomb
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise UserError("calendars/bad_file.j2") from None
    sheet = book.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(max_row=ROWS_MAX, max_col=3, values_only=True), start=1):
        rows.append((number, tuple(str(c)[:100] if isinstance(c, str) else c for c in row)))
    book.close()
    return rows


def to_data(schedule: Schedule) -> dict:
    """The schedule as a conversation keeps it between the preview and 确认."""
    return {"year": schedule.year, "title": schedule.title,
            "festivals": [{"name": f.name, "off": [d.isoformat() for d in f.off],
                           "work": [d.isoformat() for d in f.work]} for f in schedule.festivals]}


def from_data(data: dict) -> Schedule:
    return Schedule(int(data["year"]), tuple(
        notice.Festival(f["name"], tuple(date.fromisoformat(d) for d in f["off"]),
                        tuple(date.fromisoformat(d) for d in f["work"])) for f in data["festivals"]),
        data.get("title", ""))


@dataclass
class Target:
    """A unit the schedule would be entered for, and how it compares with what that unit entered before."""

    unit: Unit
    replacing: bool  # the unit entered this year before
    difference: notice.Difference | None

    @property
    def unchanged(self) -> bool:
        return self.difference is not None and self.difference.none


@dataclass
class Preview:
    schedule: Schedule
    targets: list[Target]


async def _target(svc: Services, unit: Unit, schedule: Schedule) -> Target:
    before = await calendars.entered_year(svc.db, unit.id, schedule.year)
    if before is None:
        return Target(unit, False, None)
    old = await calendars.days_of_year(svc.db, unit.id, schedule.year)
    return Target(unit, True, notice.difference(old, schedule.days()))


async def preview(svc: Services, unit_ids: list[int], schedule: Schedule) -> Preview:
    units_found = [u for u in [await unit_store.get(svc.db, i) for i in unit_ids] if u is not None]
    return Preview(schedule, [await _target(svc, unit, schedule) for unit in units_found])


async def _top_units(svc: Services, telegram_id: int) -> list[int]:
    """The units this officer may enter a calendar for: theirs, a unit under another of theirs left out."""
    scope = await units.require_officer(svc, telegram_id)
    below = set()
    for unit_id in scope:
        below.update(u for u in await unit_store.subtree_ids(svc.db, [unit_id]) if u != unit_id)
    return [u for u in scope if u not in below]


async def begin(svc: Services, telegram_id: int) -> None:
    """📋 录入节假日安排 (or /holidays): the officer's next message is the notice."""
    await units.require_officer(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "text", {}, svc.now())


async def notice_typed(svc: Services, telegram_id: int, text: str | None) -> Preview:
    """A pasted or forwarded notice from an officer: its preview, kept until 确认 (a member is refused)."""
    unit_ids = await _top_units(svc, telegram_id)
    schedule = read(text or "")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "confirm", to_data(schedule), svc.now())
    return await preview(svc, unit_ids, schedule)


async def discard(svc: Services, telegram_id: int) -> None:
    """放弃: the previewed schedule is dropped (another form under way is left alone)."""
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is not None and conversation.kind == FORM:
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)


@dataclass
class Entered:
    unit: Unit
    year: int
    changed: bool
    branches_told: int = 0


async def confirm(svc: Services, telegram_id: int, unit_id: int, year: int) -> Entered:
    """确认录入: the previewed schedule becomes the unit's (re-checked: an officer of that unit's subtree, and the
    schedule of that year is the one previewed)."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind != FORM or int(conversation.data.get("year", 0)) != year:
        raise UserError("common/stale.j2")
    entered = await enter(svc, unit, from_data(conversation.data), telegram_id)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    return entered


async def enter(svc: Services, unit: Unit, schedule: Schedule, officer: int | None) -> Entered:
    """Store `schedule` as the unit's arrangement for its year (the same one again changes nothing), audited; then
    everything planned in the subtree converges and each secretary whose dates moved is told once."""
    target = await _target(svc, unit, schedule)
    if target.unchanged:
        return Entered(unit, schedule.year, False)
    now = svc.now()
    branch_ids = [b.id for b in await unit_store.branches_under(svc.db, [unit.id])]
    before = await calendar_changes.snapshot(svc, branch_ids, now)
    names = schedule.names()
    days = [(day, kind, names.get(day, "")) for day, kind in sorted(schedule.days().items())]
    async with svc.db.write() as db:
        await calendars.replace_year(db, unit.id, schedule.year, schedule.title, days, officer, now)
        await audit.record(db, now=now, action="calendar.enter", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), year=schedule.year, title=schedule.title, officer=officer,
                           days=len(days), replaced=target.replacing)
    told = await calendar_changes.converge(svc, unit, schedule.year, before, now)
    svc.wake_outbox()
    return Entered(unit, schedule.year, True, told)


KIND_WORDS = DAY_KIND_LABELS  # 放假 / 上班, as `zhibu holidays list` prints them


async def unit_for_command_line(svc: Services, unit_id: int | None) -> Unit:
    """`--unit ID` (default: the root, whose entry is the county's)."""
    unit = await unit_store.get(svc.db, unit_id or ROOT_ID)
    if unit is None:
        raise UserError("calendars/no_unit.j2", unit=unit_id)
    return unit


async def exceptions(svc: Services, year: int, unit_id: int | None = None,
                     branch_id: int | None = None) -> list[tuple[date, DayKind, str]]:
    """The effective days off on weekdays and days worked on weekends of `year`, with their source, for a branch,
    a unit, or (neither given) the county."""
    around = date(year, 1, 1)
    if branch_id is not None:
        if await branches.get(svc.db, branch_id) is None:
            raise UserError("calendars/no_branch.j2", branch=branch_id)
        calendar = await workdays.of_branch(svc.db, branch_id, around)
    else:
        calendar = await workdays.of_unit(svc.db, (await unit_for_command_line(svc, unit_id)).id, around)
    return calendar.exceptions(year)


# --- while next year is unknown ------------------------------------------------------------------------------------

async def _root_officers(svc: Services) -> list[int]:
    stored = [o.telegram_id for o in await unit_store.officers_of(svc.db, ROOT_ID)]
    return sorted(set(svc.settings.admins) | set(stored))


async def _year_known_to_county(svc: Services, year: int) -> bool:
    return WorkCalendar.package_knows(year) or year in await calendars.years_entered_above(svc.db, ROOT_ID)


async def remind_unknown(svc: Services, now: datetime) -> None:
    """Tick: from 1 November, once a week (from Monday 09:00 local), the root's officers are told that next year's
    arrangement is not entered yet, with the button that starts entering it."""
    local = now.astimezone(ZoneInfo(svc.settings.tz))
    if local.month < REMIND_FROM_MONTH or local.hour < 9:
        return
    year = local.year + 1
    week = local.date() - timedelta(days=local.weekday())
    mark = calendar_keys.unknown_week(year, week)
    if not await marks.missing(svc.db, [mark]) or await _year_known_to_county(svc, year):
        return
    message = Outgoing(template="calendars/unknown_year.j2", params={"year": year},
                       buttons=[[button("calendars/begin", calendars_cb.begin())]])
    async with svc.db.write() as db:
        if not await marks.claim(db, mark, now):
            return
        for officer in await _root_officers(svc):
            await outbox.upsert(db, Planned(key=calendar_keys.unknown(year, week, officer), chat_id=officer,
                                            kind=UNKNOWN, payload=message, due_at=now), now)
    svc.wake_outbox()


async def _still_unknown(svc: Services, row: OutboxRow, now: datetime) -> bool:
    return not await _year_known_to_county(svc, calendar_keys.unknown.read(row.key).year)


FEATURE = Feature(name="calendars", ticks=(remind_unknown,), relevance={UNKNOWN: _still_unknown})


def preview_params(shown: Preview) -> dict:
    """What the preview shows: the festivals, the counts, and for each unit how it compares."""
    schedule = shown.schedule
    exceptions = schedule.exceptions()
    labels = DAY_KIND_LABELS
    return {
        "year": schedule.year, "title": schedule.title,
        "festivals": [{"name": f.name, "spans": notice.spans(f.off), "work": list(f.work)}
                      for f in schedule.festivals],
        "off_weekdays": sum(1 for kind in exceptions.values() if kind is DayKind.OFF),
        "work_weekends": sum(1 for kind in exceptions.values() if kind is DayKind.ON),
        "targets": [{"unit": t.unit.name, "unit_id": t.unit.id, "replacing": t.replacing, "unchanged": t.unchanged,
                     **({key: [(d, labels[k]) for d, k in getattr(t.difference, key)]
                         for key in ("added", "dropped", "changed")} if t.difference else {})}
                    for t in shown.targets],
    }


async def status(svc: Services, telegram_id: int) -> list[dict]:
    """/holidays: for this year and the next, whose arrangement the officer's (first) unit follows."""
    unit_id = (await _top_units(svc, telegram_id))[0]
    year = svc.now().astimezone(ZoneInfo(svc.settings.tz)).year
    calendar = await workdays.of_unit(svc.db, unit_id, date(year, 1, 1))
    found = []
    for shown in (year, year + 1):
        source = calendar.source_of_year(shown)
        entered = None
        for unit, _ in await calendars.chain(svc.db, unit_id):
            entered = entered or await calendars.entered_year(svc.db, unit, shown)
        found.append({"year": shown, "source": source, "title": entered.title if entered else None})
    return found
