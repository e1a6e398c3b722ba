"""The organisation tree as a service: who is an officer of which unit, what subtree they see and act on, adding
units and officers. Oversight builds on `subtree_branches` and `officer_scope`; every check here is server-side.

ZHIBU_ADMINS are the root's (县委组织部) officers; other officers are stored per unit and added by the unit above.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from bot.domain import deep_links
from bot.domain.models import Branch, Member
from bot.domain.roles import Role
from bot.domain.units import ROOT_ID, Officer, OfficerInvite, Unit, invite_open
from bot.errors import UserError
from bot.ids import MAX_ID, parse_id
from bot.keys import common as common_keys
from bot.keys import refs
from bot.services import Services
from storage import audit, branches, conversations, inspectors, marks, members
from storage import roster as roster_store
from storage import units as store

NAME_MAX = 40


def officer_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def officer_scope(svc: Services, telegram_id: int) -> list[int]:
    """The units this person is an officer of (the root for ZHIBU_ADMINS); empty for anyone else."""
    if telegram_id in svc.settings.admins:
        return [ROOT_ID]
    return await store.units_of_officer(svc.db, telegram_id)


async def is_officer(svc: Services, telegram_id: int) -> bool:
    return bool(await officer_scope(svc, telegram_id))


async def subtree_branches(svc: Services, telegram_id: int) -> list[Branch]:
    """Every branch in the subtrees of the units this person is an officer of (none for a non-officer)."""
    return await store.branches_under(svc.db, await officer_scope(svc, telegram_id))


async def subtree_unit_ids(svc: Services, telegram_id: int) -> set[int]:
    return set(await store.subtree_ids(svc.db, await officer_scope(svc, telegram_id)))


async def require_officer(svc: Services, telegram_id: int) -> list[int]:
    """The officer's units, for a write; an inspector is told they may only read, anyone else that they are no
    officer."""
    scope = await officer_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/read_only.j2" if await inspector_scope(svc, telegram_id) else "units/not_officer.j2")
    return scope


async def unit_in_scope(svc: Services, telegram_id: int, unit_id: int) -> Unit:
    """The unit when it lies in this officer's subtree, else a refusal (whatever the button said)."""
    await require_officer(svc, telegram_id)
    unit = await store.get(svc.db, unit_id) if 0 < unit_id <= MAX_ID else None  # a typed id may be any number
    if unit is None or unit.id not in await subtree_unit_ids(svc, telegram_id):
        raise UserError("units/out_of_scope.j2")
    return unit


async def unit_for(svc: Services, telegram_id: int | None, unit_id: int) -> Unit:
    """The unit a change is for: from chat (an officer's id) one in the officer's subtree; from the command line
    (None) any unit, or a ValueError naming the id."""
    if telegram_id is not None:
        return await unit_in_scope(svc, telegram_id, unit_id)
    found = await store.get(svc.db, unit_id)
    if found is None:
        raise ValueError(f"no unit with id {unit_id}")
    return found


async def branch_in_scope(svc: Services, telegram_id: int, branch_id: int) -> bool:
    unit_id = await store.unit_of_branch(svc.db, branch_id)
    return unit_id is not None and unit_id in await subtree_unit_ids(svc, telegram_id)


async def inspector_scope(svc: Services, telegram_id: int) -> list[int]:
    """The units this person is an inspector (巡查) of: they read what its officers read (bot/services/inspectors.py)
    and change nothing — `require_officer` tells them so."""
    return await inspectors.units_of(svc.db, telegram_id)


async def is_inspector(svc: Services, telegram_id: int, unit_id: int | None = None) -> bool:
    """An inspector of the unit or of a unit above it (of any unit when `unit_id` is None)."""
    scope = await inspector_scope(svc, telegram_id)
    if unit_id is None or not scope:
        return bool(scope)
    return unit_id in await store.subtree_ids(svc.db, scope)


async def note_read(svc: Services, telegram_id: int, what: str, *, unit_id: int, branch_id: int | None = None) -> None:
    """An inspector's read, in the audit log: on the branch when one was opened (its secretary's /audit shows it),
    else on the unit. Nothing for an officer of the unit: reading is their unit's own work."""
    if not await inspector_scope(svc, telegram_id) or unit_id in await subtree_unit_ids(svc, telegram_id):
        return
    async with svc.db.write() as db:
        await audit.record(db, now=svc.now(), action="inspector.read", branch_id=branch_id, actor_id=None,
                           subject=refs.branch(branch_id) if branch_id else refs.unit(unit_id), by=telegram_id,
                           what=what)


async def _viewer_scope(svc: Services, telegram_id: int) -> tuple[list[int], bool]:
    """(the units /units shows from, read only): an officer's units, else an inspector's (who only reads)."""
    scope = await officer_scope(svc, telegram_id)
    if scope:
        return scope, False
    scope = await inspector_scope(svc, telegram_id)
    if not scope:
        raise UserError("units/not_officer.j2")
    return scope, True


async def _viewed_unit(svc: Services, telegram_id: int, scope: list[int], unit_id: int) -> Unit:
    unit = await store.get(svc.db, unit_id) if 0 < unit_id <= MAX_ID else None
    if unit is None or unit.id not in await store.subtree_ids(svc.db, scope):
        raise UserError("units/out_of_scope.j2")
    await note_read(svc, telegram_id, "units", unit_id=unit.id)
    return unit


@dataclass
class UnitView:
    """What /units shows of one unit: its officers, the units and branches directly under it."""

    unit: Unit
    parent: Unit | None
    officers: list[Officer]
    children: list[Unit]
    branches: list[Branch]
    total_branches: int
    may_add_officer: bool  # officers are added by the unit above, never by the unit's own officers
    may_remove_officer: bool  # another officer of the unit, or one above it, may remove an officer
    read_only: bool = False  # an inspector's view: nothing to add or remove


async def view(svc: Services, telegram_id: int, unit_id: int | None = None) -> UnitView:
    scope, read_only = await _viewer_scope(svc, telegram_id)
    unit = await _viewed_unit(svc, telegram_id, scope, unit_id if unit_id is not None else scope[0])
    everything = await store.every(svc.db)
    children = [u for u in everything if u.parent_id == unit.id]
    placed = await store.branch_units(svc.db)
    under = await store.branches_under(svc.db, [unit.id])
    direct = [b for b in under if placed.get(b.id) == unit.id]
    parent = await store.get(svc.db, unit.parent_id) if unit.parent_id and unit.id not in scope else None
    officers = await store.officers_of(svc.db, unit.id)
    return UnitView(unit, parent, officers, children, direct, len(under),
                    may_add_officer=unit.id not in scope and not read_only,
                    may_remove_officer=not read_only and any(o.telegram_id != telegram_id for o in officers),
                    read_only=read_only)


def clean_unit_name(text: str) -> str:
    name = " ".join((text or "").split())
    if not name or len(name) > NAME_MAX:
        raise UserError("units/bad_name.j2", max=NAME_MAX)
    return name


async def create_unit(svc: Services, name: str, parent_name: str | None, kind: str = "") -> Unit:
    """A unit under `parent_name` (the root when none): the command line's `unit create`."""
    name = clean_unit_name(name)
    async with svc.db.write() as db:
        parent = await store.by_name(db, parent_name) if parent_name else await store.get(db, ROOT_ID)
        if parent is None:
            raise ValueError(f"no unit named {parent_name!r}")
        if await store.by_name(db, name):
            raise ValueError(f"a unit named {name!r} exists already")
        unit = await store.create(db, name, parent.id, svc.now(), kind)
        await audit.record(db, now=svc.now(), action="unit.create", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), name=name, parent=parent.id)
    return unit


async def add_officer(svc: Services, unit_id: int, telegram_id: int, name: str = "",
                      actor_telegram_id: int | None = None) -> bool:
    """Make someone an officer of a unit. From chat, the actor must be an officer of a unit above it (the command
    line, actor None, may add anyone anywhere). True when it was new."""
    if actor_telegram_id is not None:
        unit = await unit_in_scope(svc, actor_telegram_id, unit_id)
        if unit.id in await officer_scope(svc, actor_telegram_id):
            raise UserError("units/own_unit.j2")
    elif await store.get(svc.db, unit_id) is None:
        raise ValueError(f"no unit with id {unit_id}")
    async with svc.db.write() as db:
        added = await store.add_officer(db, unit_id, telegram_id, name.strip(), svc.now())
        await audit.record(db, now=svc.now(), action="unit.officer_add", branch_id=None, actor_id=None,
                           subject=refs.unit(unit_id), officer=telegram_id, by=actor_telegram_id)
    return added


async def new_officer_invite(svc: Services, actor_telegram_id: int, unit_id: int) -> str:
    """A one-use personal link that makes whoever opens it an officer of the unit."""
    unit = await unit_in_scope(svc, actor_telegram_id, unit_id)
    if unit.id in await officer_scope(svc, actor_telegram_id):
        raise UserError("units/own_unit.j2")
    code = "o" + secrets.token_urlsafe(12)
    async with svc.db.write() as db:
        await store.create_officer_invite(db, code, unit.id, actor_telegram_id, svc.now())
    return code


async def accept_officer_invite(svc: Services, telegram_id: int, code: str, name: str) -> Unit | None:
    """The person opened an officer link: they are now an officer of its unit. None when the code is not an officer
    link at all; a refusal when it is one no longer good — used, revoked, expired (ZHIBU_OFFICER_LINK_DAYS), or
    issued by someone no longer an officer above the unit."""
    async with svc.db.write() as db:
        invite = await store.officer_invite(db, code)
        if invite is None:
            return None
        if not await _invite_good(svc, db, invite):
            raise UserError("units/link_void.j2", days=svc.settings.officer_link_days)
        unit_id = await store.use_officer_invite(db, code, telegram_id, svc.now())
        if unit_id is None:
            raise UserError("units/link_void.j2", days=svc.settings.officer_link_days)
        await store.add_officer(db, unit_id, telegram_id, name, svc.now())
        await audit.record(db, now=svc.now(), action="unit.officer_join", branch_id=None, actor_id=None,
                           subject=refs.unit(unit_id), officer=telegram_id, issued_by=invite.created_by)
        return await store.get(db, unit_id)


async def every_officer(svc: Services) -> list[int]:
    """The Telegram ids of every officer: the stored ones and ZHIBU_ADMINS."""
    return sorted(set(await store.officer_telegram_ids(svc.db)) | set(svc.settings.admins))


def _menu_key(telegram_id: int, signature: str) -> str:
    return common_keys.officer_menu(telegram_id, hashlib.sha1(signature.encode()).hexdigest()[:16])


async def menu_given(svc: Services, telegram_id: int, signature: str) -> bool:
    """Whether this officer was last given the menu with these commands (a changed list gives a new key)."""
    return not await marks.missing(svc.db, [_menu_key(telegram_id, signature)])


async def remember_menu(svc: Services, telegram_id: int, signature: str) -> None:
    async with svc.db.write() as db:
        await marks.claim(db, _menu_key(telegram_id, signature), svc.now())


async def _invite_good(svc: Services, db, invite: OfficerInvite) -> bool:
    if not invite_open(invite, svc.now(), svc.settings.officer_link_days):
        return False
    if invite.created_by in svc.settings.admins:
        return invite.unit_id != ROOT_ID
    issuer_units = await store.units_of_officer(db, invite.created_by)
    return invite.unit_id not in issuer_units and invite.unit_id in await store.subtree_ids(db, issuer_units)


@dataclass
class Removed:
    unit: Unit
    telegram_id: int
    removed: bool  # False: they were not an officer of the unit
    revoked_links: int


async def remove_officer(svc: Services, unit_id: int, telegram_id: int,
                         actor_telegram_id: int | None = None) -> Removed:
    """Someone is no longer an officer of a unit. From chat, the actor must be another officer of the unit or an
    officer above it (the command line, actor None, may remove anyone). The unit's unused officer links, and those
    the removed officer issued, are revoked with them: the removed one may hold any of them."""
    if actor_telegram_id is not None:
        unit = await unit_in_scope(svc, actor_telegram_id, unit_id)
        if actor_telegram_id == telegram_id:
            raise UserError("units/remove_self.j2")
    else:
        unit = await store.get(svc.db, unit_id)
        if unit is None:
            raise ValueError(f"no unit with id {unit_id}")
    async with svc.db.write() as db:
        removed = await store.remove_officer(db, unit.id, telegram_id)
        revoked = await store.revoke_officer_invites(db, unit.id, telegram_id, svc.now())
        if removed or revoked:
            await audit.record(db, now=svc.now(), action="unit.officer_remove", branch_id=None, actor_id=None,
                               subject=refs.unit(unit.id), officer=telegram_id, by=actor_telegram_id,
                               removed=removed, revoked_links=revoked)
    return Removed(unit, telegram_id, removed, revoked)


async def officers_to_remove(svc: Services, telegram_id: int, unit_id: int) -> tuple[Unit, list[Officer]]:
    """The officers of a unit this person may remove (everyone but themselves), if the unit is in their scope."""
    unit = await unit_in_scope(svc, telegram_id, unit_id)
    return unit, [o for o in await store.officers_of(svc.db, unit.id) if o.telegram_id != telegram_id]


async def officer_of(svc: Services, telegram_id: int, unit_id: int, officer_id: int) -> tuple[Unit, Officer]:
    """One officer of a unit in this person's scope, to confirm removing; refused when no longer one."""
    unit, officers = await officers_to_remove(svc, telegram_id, unit_id)
    found = next((o for o in officers if o.telegram_id == officer_id), None)
    if found is None:
        raise UserError("units/not_an_officer.j2")
    return unit, found


async def tree_lines(svc: Services) -> list[tuple[int, Unit, int]]:
    """(depth, unit, branches directly under it) in tree order: what `zhibu unit list` prints."""
    everything = await store.every(svc.db)
    placed = await store.branch_units(svc.db)
    counts: dict[int, int] = {}
    for unit_id in placed.values():
        counts[unit_id] = counts.get(unit_id, 0) + 1
    children: dict[int | None, list[Unit]] = {}
    for unit in everything:
        children.setdefault(unit.parent_id, []).append(unit)
    lines: list[tuple[int, Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            lines.append((depth, unit, counts.get(unit.id, 0)))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return lines


OFFICER_FORM = "unit_officer"


async def begin_add_officer(svc: Services, telegram_id: int, unit_id: int) -> Unit:
    """➕ 按 ID 添加管理员: the next thing typed is the new officer's Telegram id."""
    unit = await unit_in_scope(svc, telegram_id, unit_id)
    if unit.id in await officer_scope(svc, telegram_id):
        raise UserError("units/own_unit.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, OFFICER_FORM, "id", {"unit_id": unit.id}, svc.now())
    return unit


async def officer_id_typed(svc: Services, telegram_id: int, text: str | None, data: dict) -> tuple[Unit, int, bool]:
    typed = parse_id(text)
    if typed is None or typed >= 10**15:  # Telegram ids have at most 15 digits today (and buttons carry 15)
        raise UserError("units/bad_officer_id.j2")
    unit = await unit_in_scope(svc, telegram_id, data.get("unit_id", 0))
    added = await add_officer(svc, unit.id, typed, "", actor_telegram_id=telegram_id)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    return unit, typed, added


@dataclass
class BranchView:
    """What an officer sees of one branch in their subtree: its secretaries and size, and the personal link of a
    secretary who has not linked Telegram yet (so the officer can hand it over and the branch can start)."""

    branch: Branch
    unit: Unit
    secretaries: list[tuple[Member, str | None]]  # (secretary, personal link code while unlinked)
    active: int


async def branch_view(svc: Services, telegram_id: int, branch_id: int) -> BranchView:
    scope, read_only = await _viewer_scope(svc, telegram_id)
    unit_id = await store.unit_of_branch(svc.db, branch_id) if 0 < branch_id <= MAX_ID else None
    branch = await branches.get(svc.db, branch_id) if unit_id is not None else None
    if branch is None or unit_id not in await store.subtree_ids(svc.db, scope):
        raise UserError("units/out_of_scope.j2")
    await note_read(svc, telegram_id, "branch", unit_id=unit_id, branch_id=branch_id)
    unit = await store.get(svc.db, unit_id)
    secretaries = []
    async with svc.db.write() as db:
        for person in await members.with_role(db, branch_id, [Role.SECRETARY]):
            code = None
            if person.telegram_id is None and not read_only:  # an inspector hands no link over
                code = await roster_store.ensure_link_code(db, person.id, deep_links.random_code(12))
            secretaries.append((person, code))
    return BranchView(branch, unit, secretaries, len(await members.in_branch(svc.db, branch_id)))
