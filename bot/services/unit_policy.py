"""/policy and `zhibu unit policy`: a unit's officers set its policy for the subtree (bot/domain/policy.py) — two
taps a setting, only values at least as strict as the units above it rule, "跟随上级" to give one back. Every change
is audited; once a unit's changes have been quiet a few minutes, each branch whose rules they changed is told once,
with what changed (its approvers: the secretary and deputies). Inspectors read the card and change nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import policy as rules
from bot.domain.minutes import MeetingRules
from bot.domain.outbox import Planned
from bot.domain.roles import APPROVER_ROLES
from bot.domain.units import Unit
from bot.errors import UserError
from bot.features import Feature
from bot.keys import policy as policy_keys
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, inspectors, policy, units
from storage import audit, members, outbox, policies
from storage import overview as overview_store
from storage import units as unit_store
from storage.connection import Conn

QUIET = timedelta(minutes=5)  # branches are told once the unit's changes have settled this long
TOLD_DAYS = 7  # a telling not sent by then is stale


@dataclass
class Line:
    """One setting on the card."""

    field: str
    name: str
    value: str  # in force for the unit's subtree
    source: str  # the unit whose value it is
    own: str | None  # the unit's own value, when it set one
    overridden: bool  # the unit's own value gave way to a stricter one above
    default: bool  # nobody set it: the built-in default (支部工作条例, seed 000)


@dataclass
class Card:
    unit: Unit
    lines: list[Line]
    read_only: bool
    scope: list[Unit]  # the officer's (or inspector's) units, to switch between
    children: list[Unit]  # the units right under it, to open theirs


async def _line(db: Conn, field: str, ruling: rules.Ruling, own: str | None) -> Line:
    return Line(field, policy.field_label(field), policy.value_label(field, ruling.code),
                await policy.source_name(db, ruling), policy.value_label(field, own) if own else None,
                own is not None and own != ruling.code, ruling.is_default)


async def card(svc: Services, telegram_id: int, unit_id: int | None = None) -> Card:
    """The unit's policy: each setting in force with the unit it comes from (the reader's first unit by default).
    An inspector reads it too (audited)."""
    scope = await inspectors.read_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/not_officer.j2")
    unit = await inspectors.readable_unit(svc, telegram_id, unit_id if unit_id is not None else scope[0], "policy")
    mine = [u for u in [await unit_store.get(svc.db, i) for i in scope] if u is not None and u.id != unit.id]
    return await card_for(svc, unit, await inspectors.read_only(svc, telegram_id), mine)


async def card_for(svc: Services, unit: Unit, read_only: bool = False, scope: list[Unit] | None = None) -> Card:
    """The card of a unit, for whoever was let see it (the command line: anyone at the shell)."""
    in_force = await policy.unit_rulings(svc.db, unit.id)
    stored = await policies.of_unit(svc.db, unit.id)
    own = stored.values if stored else {}
    lines = [await _line(svc.db, f, in_force[f], own.get(f)) for f in rules.FIELDS]
    children = [u for u in await unit_store.every(svc.db) if u.parent_id == unit.id]
    return Card(unit, lines, read_only, scope or [], children)


@dataclass
class Offer:
    unit: Unit
    field: str
    name: str
    current: str  # the code in force
    allowed: tuple[str, ...]
    above: rules.Ruling  # what holds above the unit: the floor, and what 跟随上级 gives
    above_source: str
    current_label: str
    above_label: str


async def offer(svc: Services, telegram_id: int, unit_id: int, field: str) -> Offer:
    """One setting's values the unit may set (an officer of the unit or above it only)."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    if field not in rules.FIELDS:
        raise UserError("common/stale.j2")
    above = await policy.above_rulings(svc.db, unit)
    current = (await policy.unit_rulings(svc.db, unit.id))[field].code
    return Offer(unit, field, policy.field_label(field), current, rules.unit_offer(field, above), above[field],
                 await policy.source_name(svc.db, above[field]), policy.value_label(field, current),
                 policy.value_label(field, above[field].code))


@dataclass
class Changed:
    unit: Unit
    field: str
    name: str
    was: str  # value labels in force before and after
    now: str


async def change(svc: Services, telegram_id: int | None, unit_id: int, field: str, code: str | None) -> Changed:
    """Set (or with None give back to the units above) one setting of a unit's policy. From chat, an officer of
    the unit or above it; the command line (None) any unit. A value out of range, or laxer than what the units
    above rule, is refused and nothing changes. Audited; the branches are told once it has settled."""
    unit = await units.unit_for(svc, telegram_id, unit_id)
    if field not in rules.FIELDS or (code is not None and not rules.valid(field, code)):
        raise UserError("policy/out_of_range.j2", field=policy.field_label(field) if field in rules.FIELDS else field,
                        choices=[policy.value_label(field, c) for c in rules.choices(field)])
    above = await policy.above_rulings(svc.db, unit)
    if code is not None and code not in rules.unit_offer(field, above):
        raise UserError("policy/laxer.j2", unit=await policy.source_name(svc.db, above[field]),
                        field=policy.field_label(field), value=policy.value_label(field, above[field].code))
    was = (await policy.unit_rulings(svc.db, unit.id))[field]
    now = svc.now()
    async with svc.db.write() as db:
        stored = await policies.of_unit(db, unit.id)
        values = dict(stored.values) if stored else {}
        before = values.get(field)
        if code is None:
            values.pop(field, None)
        else:
            values[field] = code
        if before != code:
            await policies.save(db, unit.id, values, telegram_id, now)
            await audit.record(db, now=now, action="unit.policy", branch_id=None, actor_id=None,
                               subject=refs.unit(unit.id), field=field, was=before, value=code, by=telegram_id)
    after = (await policy.unit_rulings(svc.db, unit.id))[field]
    return Changed(unit, field, policy.field_label(field), policy.value_label(field, was.code),
                   policy.value_label(field, after.code))


# --- telling the branches, once ----------------------------------------------------------------------------------

async def tell_changes(svc: Services, now: datetime) -> None:
    """Tick: for each unit whose policy changed and has been quiet for QUIET, each branch of its subtree whose rules
    in force changed is told once, what changed (before → now); then the unit counts as told."""
    for stored in await policies.untold(svc.db, now - QUIET):
        current = await policies.values_by_unit(svc.db)
        before = await policy.rulings_by_unit(svc.db, {**current, stored.unit_id: stored.told})
        after = await policy.rulings_by_unit(svc.db, current)
        unit = await unit_store.get(svc.db, stored.unit_id)
        placed = await unit_store.branch_units(svc.db)
        kept = await overview_store.meeting_rules(svc.db, [stored.unit_id])
        async with svc.db.write() as db:
            for branch in await unit_store.branches_under(db, [stored.unit_id]):
                own = rules.branch_own(kept.get(branch.id) or MeetingRules(), branch.settings)
                was = rules.for_branch(before[placed[branch.id]], own)
                held = rules.for_branch(after[placed[branch.id]], own)
                lines = [(policy.field_label(f), policy.value_label(f, was[f].code), policy.value_label(f, held[f].code))
                         for f in rules.changed(was, held)]
                if lines and unit is not None:
                    await _tell(db, stored, unit, branch.id, lines, now)
            await policies.mark_told(db, stored.unit_id, stored.values)
        svc.wake_outbox()


async def _tell(db: Conn, stored: policies.Stored, unit: Unit, branch_id: int, lines: list, now: datetime) -> None:
    message = Outgoing(template="policy/told.j2", params={"unit": unit.name, "lines": lines})
    for approver in await members.with_role(db, branch_id, APPROVER_ROLES):
        if approver.telegram_id is None:
            continue
        await outbox.upsert(db, Planned(
            key=policy_keys.told(unit.id, branch_id, stored.changed_at, approver.id), chat_id=approver.telegram_id,
            kind="policy.told", payload=message, due_at=now, expires_at=now + timedelta(days=TOLD_DAYS),
            branch_id=branch_id, member_id=approver.id), now)


FEATURE = Feature(name="policy", ticks=(tell_changes,))
