"""Importing an office's roster (xlsx): units, branches with their secretaries, and members with their details.

`preview` reads the file and says what an import would do (counts to create / update / leave unchanged, and
every bad row with its number and reason) by carrying the plan out on a throwaway copy of the database, so it
never holds the live database's writer; `apply` does it in one transaction, recomputing the same plan there,
so what is applied is what the data says at that moment. Re-importing the same file changes nothing; an edited
file updates (members are matched by branch + name, + birth date when the file has one), never duplicates.
Imported members are active but not linked to Telegram: each gets a personal link (see `personal_link`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from bot import uploads
from bot.domain import deep_links
from bot.domain import roster as rules
from bot.domain.roles import Role
from bot.domain.units import PROFILE_FIELDS, ROOT_ID
from bot.errors import UserError
from bot.render import word
from bot.services import Services
from bot.services import units as unit_service
from storage import audit, branches, conversations
from storage import roster as store
from storage import units as unit_store
from storage.connection import Conn

HEADER_ROWS = 5  # a title row or two above the headers is common in office sheets
SHOWN_BAD = 20  # bad rows listed by number in a preview; the rest are counted
CODE_BYTES = 12  # personal link codes are 16 characters: unguessable, and never an invitation's 12


# What openpyxl raises on a workbook it cannot make sense of (a part missing, a value of the wrong kind, XML it
# cannot parse): the file is unreadable, never a traceback.
_UNREADABLE = (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, AttributeError, IndexError, SyntaxError)


def read_workbook(content: bytes, deadline: uploads.Deadline | None = None) -> rules.Parsed:
    """The organisation and member rows of a workbook; UserError for a file that is not a readable xlsx roster.
    Call it through `uploads.read` (see `parse`), which has checked the file against the upload limits first."""
    import openpyxl  # imported here: heavy, and only a roster import needs it

    deadline = deadline or uploads.Deadline(uploads.WORKBOOK)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            parsed, found = _read_sheets(book, deadline)
        finally:
            book.close()
    except _UNREADABLE:
        raise UserError("roster/unreadable.j2") from None
    if not found:
        raise UserError("roster/no_sheet.j2")
    return parsed


def _read_sheets(book, deadline: uploads.Deadline) -> tuple[rules.Parsed, bool]:
    parsed = rules.Parsed()
    found = False
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            deadline.check()
            cells = list(row)
            members = rules.find_columns(cells, rules.MEMBER_HEADERS)
            orgs = rules.find_columns(cells, rules.ORG_HEADERS)
            if {"name", "branch"} <= members.keys():
                found = True
                _read_rows(parsed, sheet.title, rows, number, members, rules.parse_member, parsed.members, deadline)
                break
            if {"name", "parent"} <= orgs.keys():
                found = True
                _read_rows(parsed, sheet.title, rows, number, orgs, rules.parse_org, parsed.orgs, deadline)
                break
            if number >= HEADER_ROWS:
                break
    return parsed, found


async def parse(content: bytes) -> rules.Parsed:
    """The roster in a file, checked against the upload limits and read in a worker thread (never on the event
    loop: a large or hostile file must not keep the county's taps waiting)."""
    return await uploads.read(content, read_workbook)


def _read_rows(parsed, title, rows, header_row, columns, parse_row, into, deadline) -> None:
    title = rules.shown(title)  # a sheet's name is quoted back with its bad rows: a hostile one is cut too
    for number, row in enumerate(rows, start=header_row + 1):
        deadline.check()
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        cells = {key: row[index] if index < len(row) else None for key, index in columns.items()}
        result = parse_row(number, cells)
        if isinstance(result, str):
            parsed.bad.append(rules.BadRow(title, number, result))
        else:
            result.sheet = title
            if isinstance(result, rules.MemberRow):
                result.columns = frozenset(columns)
            into.append(result)


@dataclass
class Counts:
    create: int = 0
    update: int = 0
    unchanged: int = 0


@dataclass
class Namesake:
    """A branch the import creates under `unit` while branches of that name are under `others` already."""

    name: str
    unit: str
    others: list[str]


@dataclass
class Plan:
    units: Counts = field(default_factory=Counts)
    branches: Counts = field(default_factory=Counts)
    members: Counts = field(default_factory=Counts)
    bad: list[rules.BadRow] = field(default_factory=list)
    namesakes: list[Namesake] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return sum(c.create + c.update for c in (self.units, self.branches, self.members))


async def _scope(svc: Services, db: Conn, actor: int | None) -> tuple[list[int], set[int]]:
    """(the actor's own units, every unit they may act in on `db`); the command line acts as the root."""
    own = [ROOT_ID] if actor is None else await unit_service.require_officer(svc, actor)
    return own, set(await unit_store.subtree_ids(db, own))


async def preview(svc: Services, content: bytes, actor: int | None = None) -> Plan:
    """The plan as apply would carry it out now, carried out on a scratch copy of the database and discarded
    with it: the live database is only read (while the copy is made), and its writer stays free for the
    county's taps, answers and approvals during the seconds a large file takes."""
    parsed = await parse(content)
    async with svc.db.scratch() as db:
        return await _run(svc, db, parsed, actor)


async def apply(svc: Services, content: bytes, actor: int | None = None) -> Plan:
    parsed = await parse(content)
    async with svc.db.write() as db:
        plan = await _run(svc, db, parsed, actor)
        await audit.record(db, now=svc.now(), action="roster.import", branch_id=None, actor_id=None,
                           subject="roster", by=actor, units=vars(plan.units), branches=vars(plan.branches),
                           members=vars(plan.members), bad=len(plan.bad))
    return plan


async def _run(svc: Services, db: Conn, parsed: rules.Parsed, actor: int | None) -> Plan:
    """The plan, carried out on `db` (a preview's is a scratch copy, discarded by the caller)."""
    plan = Plan(bad=list(parsed.bad))
    own, scope = await _scope(svc, db, actor)
    now = svc.now()
    unit_ids = await _units(db, parsed.orgs, plan, own, scope, now)
    branch_ids, where = await _branches(db, parsed.orgs, plan, unit_ids, scope, now)
    await _members(db, parsed, plan, branch_ids, where, now)
    plan.bad.sort(key=lambda b: (b.sheet, b.row))
    return plan


async def _units(db, orgs, plan, own, scope, now) -> dict[str, int]:
    """Create or move the units of the file, parents first; name → id of every unit the actor may use. The
    actor's own units (listed in their file, as the top of it) are left where the unit above put them."""
    default_parent = own[0]
    known = {u.name: u for u in await unit_store.every(db)}
    ids = {name: u.id for name, u in known.items() if u.id in scope}
    waiting = [o for o in orgs if not o.is_branch]
    while waiting:
        progressed, still = False, []
        for org in waiting:
            parent = ids.get(org.parent) if org.parent else default_parent
            if org.name in known and known[org.name].id in own:
                plan.units.unchanged += 1
                progressed = True
                continue
            if parent is None and org.parent in {w.name for w in waiting}:
                still.append(org)
                continue
            progressed = True
            if parent is None:
                plan.bad.append(_bad(org, word("roster/parent_missing", parent=rules.shown(org.parent))))
            elif org.name in known and known[org.name].id not in scope:
                plan.bad.append(_bad(org, word("roster/out_of_scope", name=org.name)))
            elif org.name in known:
                unit = known[org.name]
                if (unit.parent_id, unit.kind) == (parent, org.kind):
                    plan.units.unchanged += 1
                else:
                    plan.units.update += 1
                    await unit_store.set_parent(db, unit.id, parent, org.kind)
            else:
                plan.units.create += 1
                unit = await unit_store.create(db, org.name, parent, now, org.kind)
                known[org.name], ids[org.name] = unit, unit.id
        if not progressed:
            plan.bad += [_bad(o, word("roster/parents_loop", parent=rules.shown(o.parent))) for o in still]
            break
        waiting = still
    ids[""] = default_parent
    return ids


def _bad(org: rules.OrgRow, reason: str) -> rules.BadRow:
    return rules.BadRow(org.sheet, org.row, reason)


async def _branches(db, orgs, plan, unit_ids, scope, now) -> tuple[dict[str, list[int]], dict[int, str]]:
    """Create or move the branches of the file: (name → ids of the branches the actor may use, branch id → its unit's
    name). A name is unique among one unit's branches; it may repeat under other units, and then a member row must
    not refer to it by name alone, and a branch created beside a namesake elsewhere is shown with both units."""
    placed = await unit_store.branch_units(db)
    unit_names = {u.id: u.name for u in await unit_store.every(db)}
    names: dict[str, list[int]] = {}
    everywhere: dict[str, list[int]] = {}
    for branch in await branches.every(db):
        everywhere.setdefault(branch.name, []).append(branch.id)
        if placed.get(branch.id) in scope:
            names.setdefault(branch.name, []).append(branch.id)
    rows, claimed = [], set()
    for org in (o for o in orgs if o.is_branch):  # first the rows naming a branch where it already is
        unit = unit_ids.get(org.parent)
        if unit is None:
            plan.bad.append(_bad(org, word("roster/parent_missing", parent=rules.shown(org.parent))))
            continue
        here = [b for b in names.get(org.name, []) if placed.get(b) == unit]
        if len(here) > 1:
            plan.bad.append(_bad(org, word("roster/branch_ambiguous", unit=unit_names.get(unit, ""), name=org.name)))
        elif here:
            plan.branches.unchanged += 1
            claimed.add(here[0])
        else:
            rows.append((org, unit))
    for org, unit in rows:  # then moves (a branch of that name elsewhere, not named so in the file) and new ones
        here = [b for b in names.get(org.name, []) if placed.get(b) == unit]
        elsewhere = [b for b in names.get(org.name, []) if b not in claimed and placed.get(b) != unit]
        if here:  # created by an earlier row of the file
            plan.branches.unchanged += 1
        elif len(elsewhere) > 1:
            units = sorted({unit_names.get(placed.get(b), "") for b in elsewhere})
            plan.bad.append(_bad(org, word("roster/branch_ambiguous_elsewhere", name=org.name, units=units)))
        elif elsewhere:
            plan.branches.update += 1
            await unit_store.place_branch(db, elsewhere[0], unit)
            placed[elsewhere[0]] = unit
            claimed.add(elsewhere[0])
        else:
            plan.branches.create += 1
            others = sorted({unit_names.get(placed.get(b), "") for b in everywhere.get(org.name, [])})
            if others:
                plan.namesakes.append(Namesake(org.name, unit_names.get(unit, ""), others))
            branch = await branches.create(db, org.name, now)
            await unit_store.place_branch(db, branch.id, unit)
            placed[branch.id] = unit
            claimed.add(branch.id)
            names.setdefault(org.name, []).append(branch.id)
            everywhere.setdefault(org.name, []).append(branch.id)
    return names, {b: unit_names.get(placed.get(b), "") for ids in names.values() for b in ids}


async def _members(db, parsed, plan, branch_ids, where, now) -> None:
    existing: dict[tuple[int, str], list[dict]] = {}
    for row in await store.live_members(db):
        existing.setdefault((row["branch_id"], row["name"]), []).append(row)
    secretaries = {(o.name, o.secretary) for o in parsed.orgs if o.is_branch and o.secretary}
    rows = list(parsed.members)
    named = {(m.branch, m.name) for m in rows}
    rows += [rules.MemberRow(0, name, branch, None, {}) for branch, name in secretaries if (branch, name) not in named]
    seen: dict[tuple, int] = {}
    profiles, roles, groups, dues = [], [], [], []
    for member in rows:
        ids = branch_ids.get(member.branch, [])
        if len(ids) != 1:
            if member.row:  # a secretary named only in the organisation sheet: that row is reported already
                reason = word("roster/member_branch", branch=rules.shown(member.branch),
                              units=sorted({where.get(b, "") for b in ids}))
                plan.bad.append(rules.BadRow(member.sheet, member.row, reason))
            continue
        birth = member.profile.get("birth_date")
        key = (ids[0], member.name, birth)
        if key in seen:
            plan.bad.append(rules.BadRow(member.sheet, member.row, word("roster/duplicate", row=seen[key])))
            continue
        seen[key] = member.row
        wanted_roles = set(member.roles) | ({Role.SECRETARY} if (member.branch, member.name) in secretaries else set())
        columns = member.columns
        fields = {f: member.profile.get(f) for f in PROFILE_FIELDS if f in columns}
        match = _match(existing.get((ids[0], member.name), []), birth)
        if match is None:
            plan.members.create += 1
            member_id = await store.insert_member(db, ids[0], member.name, member.group, now)
            profiles.append((member_id, fields, deep_links.random_code(CODE_BYTES)))
            roles += [(member_id, r) for r in wanted_roles]
            dues += [(member_id, member.dues_fen)] if member.dues_fen is not None else []
            continue
        held = set(filter(None, (match["roles"] or "").split(",")))
        changed_fields = any((match.get(f) or None) != (v or None) for f, v in fields.items())
        regroup = "group" in columns and (match["party_group"] or None) != member.group
        new_roles = {r for r in wanted_roles if r.value not in held}
        new_dues = member.dues_fen is not None and match["dues_fen"] != member.dues_fen  # empty: left as it is
        if not (changed_fields or regroup or new_roles or new_dues):
            plan.members.unchanged += 1
            continue
        plan.members.update += 1
        if changed_fields:
            profiles.append((match["id"], {**{f: match.get(f) for f in PROFILE_FIELDS}, **fields}, None))
        if regroup:
            groups.append((match["id"], member.group))
        roles += [(match["id"], r) for r in new_roles]
        dues += [(match["id"], member.dues_fen)] if new_dues else []
    await store.save_profiles(db, profiles)
    await store.set_dues(db, dues, now)
    await store.add_roles(db, roles)
    await store.set_groups(db, groups, now)


def _match(candidates: list[dict], birth: str | None) -> dict | None:
    """The roster row this line is about: same branch and name, and the same birth date when both have one."""
    if birth:
        exact = [c for c in candidates if c.get("birth_date") == birth]
        if exact:
            return exact[0]
        candidates = [c for c in candidates if not c.get("birth_date")]
    return candidates[0] if len(candidates) == 1 or (candidates and not birth) else None


def summary(plan: Plan) -> dict:
    """What the preview and result templates show."""
    return {"units": vars(plan.units), "branches": vars(plan.branches), "members": vars(plan.members),
            "bad": plan.bad, "changes": plan.changes,
            "shown_bad": plan.bad[:SHOWN_BAD], "namesakes": plan.namesakes[:SHOWN_BAD],
            "more_namesakes": max(0, len(plan.namesakes) - SHOWN_BAD)}



HELD = "roster_import"  # the conversation that keeps a previewed file until 确认导入 or 放弃


async def hold(svc: Services, telegram_id: int, file_id: str) -> None:
    """Remember the previewed file (Telegram keeps it; only its id is stored) for the officer's confirmation."""
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, HELD, "confirm", {"file_id": file_id}, svc.now())


async def held(svc: Services, telegram_id: int) -> str:
    """The file id of the officer's previewed roster; refused when it was confirmed, discarded or replaced."""
    await unit_service.require_officer(svc, telegram_id)
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind != HELD:
        raise UserError("roster/expired.j2")
    return conversation.data["file_id"]


async def drop(svc: Services, telegram_id: int) -> None:
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
