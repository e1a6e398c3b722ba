"""The rules each branch is judged by: its units' policy (bot/domain/policy.py), nearest unit first, with the
branch's own stricter choices on top. This is the one door through which overview, compliance, deadlines, digests,
registers, the theme day and the evaluation read the cadences, the minutes deadline, the theme's due day and date
rule, the holiday rule, the check-in mode, the 优秀 share and the review days — never the stored values directly."""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import policy as rules
from bot.domain.calendar import ThemeDaySettings
from bot.domain.holidays import HolidayMove
from bot.domain.minutes import MeetingRules
from bot.domain.models import Branch, BranchSettings
from bot.domain.units import ROOT_ID, Unit
from bot.errors import UserError
from bot.keys import refs
from bot.render import label
from bot.services import Services, meeting_rules
from storage import audit, branches, calendars, minutes, policies, themeday
from storage import units as unit_store
from storage.connection import Conn


async def unit_rulings(db: Conn, unit_id: int) -> rules.Rulings:
    """What holds for a unit's subtree: the values set along its chain, root first."""
    chain = await calendars.chain(db, unit_id)  # nearest first
    values = await policies.values_by_unit(db)
    return rules.resolve([(unit, values.get(unit, {})) for unit, _ in reversed(chain)])


async def above_rulings(db: Conn, unit: Unit) -> rules.Rulings:
    """What holds above a unit (the defaults for the root): the floor of what the unit may set."""
    return await unit_rulings(db, unit.parent_id) if unit.parent_id is not None else rules.defaults()


async def rulings_by_unit(db: Conn, values: dict[int, dict[str, str]] | None = None) -> dict[int, rules.Rulings]:
    """Every unit's rulings from two reads (the tree and the policies): for a county's worth of branches at once.
    `values` stands in for the stored policies (what held before a change)."""
    tree = await unit_store.every(db)
    values = values if values is not None else await policies.values_by_unit(db)
    children: dict[int | None, list[int]] = {}
    for unit in tree:
        children.setdefault(unit.parent_id, []).append(unit.id)
    found: dict[int, rules.Rulings] = {}
    pending: list[tuple[int, rules.Rulings]] = [(unit_id, rules.defaults()) for unit_id in children.get(None, [])]
    while pending:
        unit_id, above = pending.pop()
        if unit_id in found:
            continue  # a cycle in a damaged tree: each unit once
        found[unit_id] = rules.resolve([(unit_id, values.get(unit_id, {}))], above)
        pending += [(child, found[unit_id]) for child in children.get(unit_id, [])]
    return found


async def _unit_of(db: Conn, branch_id: int) -> int:
    return await unit_store.unit_of_branch(db, branch_id) or ROOT_ID


async def branch_rulings(db: Conn, branch: Branch) -> rules.Rulings:
    """The branch's rulings: its units' policy with its own stricter choices."""
    stored = await minutes.rules_of(db, branch.id)
    units = await unit_rulings(db, await _unit_of(db, branch.id))
    return rules.for_branch(units, rules.branch_own(stored, branch.settings))


async def branch_units_rulings(db: Conn, branch_id: int) -> rules.Rulings:
    """What the branch's units rule, without its own choices: the floor of what it may choose."""
    return await unit_rulings(db, await _unit_of(db, branch_id))


async def rules_of(db: Conn, branch_id: int) -> MeetingRules:
    """The branch's 三会一课 rules in force: cadences and minutes deadline by policy, its own days as stored."""
    stored = await minutes.rules_of(db, branch_id)
    branch = await branches.get(db, branch_id)
    settings = branch.settings if branch is not None else BranchSettings()
    units = await unit_rulings(db, await _unit_of(db, branch_id))
    return rules.apply_rules(stored, rules.for_branch(units, rules.branch_own(stored, settings)))


async def rules_by_branch(db: Conn, stored: dict[int, MeetingRules], branch_ids: Iterable[int]) -> dict[int, MeetingRules]:
    """Many branches' rules in force from their stored rules (the overview's: one pass, no query per branch)."""
    by_unit = await rulings_by_unit(db)
    placed = await unit_store.branch_units(db)
    found = {}
    for branch_id in branch_ids:
        own = stored.get(branch_id) or MeetingRules()
        units = by_unit.get(placed.get(branch_id) or ROOT_ID) or rules.defaults()
        found[branch_id] = rules.apply_rules(own, rules.for_branch(units, rules.branch_own(own, BranchSettings())))
    return found


async def settings_of(db: Conn, branch: Branch) -> BranchSettings:
    """The branch's settings with the theme due day, holiday rule and 优秀 share in force."""
    return rules.apply_settings(branch.settings, await branch_rulings(db, branch))


async def settings_by_branch(db: Conn, found_branches: Iterable[Branch]) -> dict[int, BranchSettings]:
    """Many branches' settings in force (a tick's over the county: one pass). Worked out once for each unit and
    stored settings found (most branches share both): a tick that runs every minute asks this of the county."""
    by_unit = await rulings_by_unit(db)
    placed = await unit_store.branch_units(db)
    found, worked = {}, {}  # worked: (unit id, stored settings) → settings in force
    for branch in found_branches:
        unit_id = placed.get(branch.id) or ROOT_ID
        if (unit_id, branch.settings) not in worked:
            units = by_unit.get(unit_id) or rules.defaults()
            own = rules.branch_own(MeetingRules(), branch.settings)  # the settings' own choices (no rules needed)
            worked[unit_id, branch.settings] = rules.apply_settings(branch.settings, rules.for_branch(units, own))
        found[branch.id] = worked[unit_id, branch.settings]
    return found


async def theme_settings(db: Conn, branch_id: int) -> ThemeDaySettings:
    """The branch's theme-day settings, "the first week" read as its units' policy says."""
    stored = await themeday.settings_of(db, branch_id)
    units = await unit_rulings(db, await _unit_of(db, branch_id))
    return stored.model_copy(update={"full_weeks": units["theme_week"].code == "full"})


async def theme_settings_by_branch(db: Conn, branch_ids: Iterable[int]) -> dict[int, ThemeDaySettings]:
    """Every branch's theme-day settings in force (the hourly theme-day tick's: one pass)."""
    stored = await themeday.all_settings(db)
    by_unit = await rulings_by_unit(db)
    placed = await unit_store.branch_units(db)
    found = {}
    for branch_id in branch_ids:
        units = by_unit.get(placed.get(branch_id) or ROOT_ID) or rules.defaults()
        found[branch_id] = (stored.get(branch_id) or ThemeDaySettings()).model_copy(
            update={"full_weeks": units["theme_week"].code == "full"})
    return found


async def review_days(db: Conn, unit_id: int) -> int:
    """The working days a unit has to review what its branches file."""
    return int((await unit_rulings(db, unit_id))["review_days"].code)


async def checkin_mode(db: Conn, branch_id: int) -> rules.Ruling:
    """The check-in its units require of the branch's theme day (none / location / code)."""
    return (await unit_rulings(db, await _unit_of(db, branch_id)))["checkin"]


# --- words, and a branch's own choice ------------------------------------------------------------------------------

def value_label(field: str, code: str) -> str:
    return label("policy/value", field=field, code=code)


def field_label(field: str) -> str:
    return label("policy/field", field=field)


async def source_name(db: Conn, ruling: rules.Ruling) -> str:
    """Where a ruling comes from, in words: the unit's name (the root's for the defaults, its unit being the
    county's), or none for the branch's own choice."""
    if ruling.own:
        return ""
    unit = await unit_store.get(db, ruling.unit_id if ruling.unit_id is not None else ROOT_ID)
    return unit.name if unit is not None else ""


_SETTINGS_ATTR = {"theme_due_day": "theme_due_day", "theme_holiday_move": "theme_holiday_move",
                  "excellent_pct": "evaluation_excellent_max_pct"}


def _settings_value(field: str, code: str) -> int | HolidayMove | None:
    if field == "theme_holiday_move":
        return HolidayMove(code)
    return int(code) or None if field == "theme_due_day" else int(code)


async def refuse_laxer(db: Conn, branch_id: int, field: str, code: str) -> None:
    """A value the branch may not choose under its units' policy: refused, saying whose rule it is."""
    units = await branch_units_rulings(db, branch_id)
    if code in rules.branch_offer(field, units):
        return
    ruling = units[field]
    template = "branch_settings/policy_fixed.j2" if field in rules.UNORDERED else "branch_settings/policy_laxer.j2"
    raise UserError(template, unit=await source_name(db, ruling), field=field_label(field),
                    value=value_label(field, ruling.code))


async def choose(svc: Services, branch_id: int, field: str, code: str | None, actor_id: int | None) -> None:
    """The branch's own value of a policy setting, or (None) the setting given back to its units: refused when the
    units' policy does not let the branch choose it; saved with the branch's `own`, audited."""
    if field not in rules.BRANCH_FIELDS or (code is not None and not rules.valid(field, code)):
        raise UserError("common/stale.j2")
    if code is not None:
        await refuse_laxer(svc.db, branch_id, field, code)
    written = code if code is not None else rules.DEFAULTS[field]
    if field in rules.RULES_FIELDS:
        def edit(current: MeetingRules) -> MeetingRules:
            own = rules.own_after(current.own, rules.RULES_FIELDS, rules.stored_values(current, BranchSettings()),
                                  field, code is not None)
            if field == "minutes_working_days":
                return current.model_copy(update={"minutes_working_days": int(written), "own": own})
            cadences = {**current.cadences, rules.kind_of(field): rules.cadence_of(written)}
            return current.model_copy(update={"cadences": cadences, "own": own})

        await meeting_rules.change(svc, branch_id, edit, actor_id, mark_own=False)
        return
    async with svc.db.write() as tx:
        branch = await branches.get(tx, branch_id)
        if branch is None:
            raise UserError("common/stale.j2")
        was = branch.settings
        own = rules.own_after(was.own, rules.SETTINGS_FIELDS, rules.stored_values(MeetingRules(), was), field,
                              code is not None)
        attr = _SETTINGS_ATTR[field]
        now = was.model_copy(update={attr: _settings_value(field, written), "own": own})
        if now != was:
            await branches.save_settings(tx, branch_id, now)
            await audit.record(tx, now=svc.now(), action="settings.change", branch_id=branch_id, actor_id=actor_id,
                               subject=refs.branch(branch_id), field=attr, was=getattr(was, attr),
                               value=getattr(now, attr), follows_units=code is None)
