"""Inspectors (巡查) and reading a subtree: a unit's officers add read-only people who see what the officers see of
the subtree (overview, records, registers, audit, exports) and change nothing.

Reads go through the functions here (an officer or an inspector), writes through the officer functions of
bot/services/units.py, whose `require_officer` tells an inspector politely that they may only read. An inspector's
reads are audited (`what` names what they opened); an officer's are not — reading is their unit's own work."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import Branch
from bot.domain.units import Inspector, Unit
from bot.errors import UserError
from bot.ids import MAX_ID, parse_id
from bot.keys import refs
from bot.services import Services, units
from storage import audit, conversations, inspectors
from storage import units as store

TELEGRAM_ID_MAX = 10**15  # Telegram ids have at most 15 digits today
FORM = "unit_inspector"


async def read_scope(svc: Services, telegram_id: int) -> list[int]:
    """The units whose subtree this person may read: those they are an officer or an inspector of."""
    officer = await units.officer_scope(svc, telegram_id)
    return sorted(set(officer) | set(await units.inspector_scope(svc, telegram_id)))


async def read_only(svc: Services, telegram_id: int) -> bool:
    """An inspector and no officer: no write button is offered (and every write is refused anyway)."""
    return not await units.officer_scope(svc, telegram_id) and bool(await units.inspector_scope(svc, telegram_id))


async def may_read(svc: Services, telegram_id: int) -> bool:
    return bool(await read_scope(svc, telegram_id))


async def require_reader(svc: Services, telegram_id: int, what: str) -> list[int]:
    """The units an officer or inspector reads (an inspector's read audited); a refusal for anyone else."""
    scope = await read_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/not_officer.j2")
    await units.note_read(svc, telegram_id, what, unit_id=scope[0])
    return scope


async def readable_unit(svc: Services, telegram_id: int, unit_id: int, what: str) -> Unit:
    """The unit when it lies in the reader's subtree, else a refusal (whatever the button said)."""
    scope = await read_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/not_officer.j2")
    unit = await store.get(svc.db, unit_id) if 0 < unit_id <= MAX_ID else None
    if unit is None or unit.id not in await store.subtree_ids(svc.db, scope):
        raise UserError("units/out_of_scope.j2")
    await units.note_read(svc, telegram_id, what, unit_id=unit.id)
    return unit


async def readable_branch(svc: Services, telegram_id: int, branch_id: int, what: str) -> int:
    """The branch's unit when the branch lies in the reader's subtree, else a refusal."""
    scope = await read_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/not_officer.j2")
    unit_id = await store.unit_of_branch(svc.db, branch_id) if 0 < branch_id <= MAX_ID else None
    if unit_id is None or unit_id not in await store.subtree_ids(svc.db, scope):
        raise UserError("units/out_of_scope.j2")
    await units.note_read(svc, telegram_id, what, unit_id=unit_id, branch_id=branch_id)
    return unit_id


async def readable_branches(svc: Services, telegram_id: int) -> list[Branch]:
    """Every branch of the reader's subtrees (none for anyone else); the caller audits what it shows."""
    return await store.branches_under(svc.db, await read_scope(svc, telegram_id))


# --- adding and removing inspectors --------------------------------------------------------------------------------

@dataclass
class Listing:
    unit: Unit
    inspectors: list[Inspector]


async def listing(svc: Services, telegram_id: int, unit_id: int) -> Listing:
    """The unit's inspectors, for an officer of the unit or above it (an inspector cannot manage them)."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    return Listing(unit, await inspectors.of_unit(svc.db, unit.id))


async def add(svc: Services, unit_id: int, telegram_id: int, name: str = "",
              actor_telegram_id: int | None = None) -> bool:
    """Make someone an inspector of a unit: from chat an officer of the unit or above it; the command line (actor
    None) any unit. Audited; True when it was new."""
    if actor_telegram_id is not None:
        await units.unit_in_scope(svc, actor_telegram_id, unit_id)
    elif await store.get(svc.db, unit_id) is None:
        raise ValueError(f"no unit with id {unit_id}")
    if not 0 < telegram_id < TELEGRAM_ID_MAX:
        raise UserError("units/bad_officer_id.j2")
    async with svc.db.write() as db:
        added = await inspectors.add(db, unit_id, telegram_id, name.strip(), actor_telegram_id, svc.now())
        if added:
            await audit.record(db, now=svc.now(), action="unit.inspector_add", branch_id=None, actor_id=None,
                               subject=refs.unit(unit_id), inspector=telegram_id, by=actor_telegram_id)
    return added


async def remove(svc: Services, unit_id: int, telegram_id: int, actor_telegram_id: int | None = None) -> bool:
    """Someone is no longer an inspector of a unit (their next read is refused). Audited; False when they were not
    one (a second tap on a stale button)."""
    if actor_telegram_id is not None:
        await units.unit_in_scope(svc, actor_telegram_id, unit_id)
    elif await store.get(svc.db, unit_id) is None:
        raise ValueError(f"no unit with id {unit_id}")
    async with svc.db.write() as db:
        removed = await inspectors.remove(db, unit_id, telegram_id)
        if removed:
            await audit.record(db, now=svc.now(), action="unit.inspector_remove", branch_id=None, actor_id=None,
                               subject=refs.unit(unit_id), inspector=telegram_id, by=actor_telegram_id)
    return removed


async def begin_add(svc: Services, telegram_id: int, unit_id: int) -> Unit:
    """➕ 添加巡查人员: the next thing typed is the inspector's Telegram id."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "id", {"unit_id": unit.id}, svc.now())
    return unit


async def id_typed(svc: Services, telegram_id: int, text: str | None, data: dict) -> tuple[Unit, int, bool]:
    """The inspector's Telegram id, typed: added (re-checked: the unit is still in the officer's scope)."""
    typed = parse_id(text)
    if typed is None or typed >= TELEGRAM_ID_MAX:
        raise UserError("units/bad_officer_id.j2")
    unit = await units.unit_in_scope(svc, telegram_id, int(data.get("unit_id", 0)))
    added = await add(svc, unit.id, typed, "", actor_telegram_id=telegram_id)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    return unit, typed, added
