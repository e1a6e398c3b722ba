"""/settings: the branch's settings as the secretary changes them in chat — quiet hours, the digest time, the
notice nudge, the theme day's holiday rule and due day, make-up for members on leave, how often full members
report their thoughts, how members prove presence at check-in (branch settings) and the
minutes deadline and 三会一课 cadences (meeting rules). The cadences, deadline, due day, holiday rule and 优秀 share
are the units' policy (bot/services/policy.py): the card shows each with the unit whose rule it is, and the branch
may only choose stricter. Every change is re-authorised (secretary or deputy of this branch), offered as a fixed
choice, and audited. The branch's own holidays: bot/services/branch_holidays.py."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain import branch_settings as options
from bot.domain import checkin_proof as proof_rules
from bot.domain import policy as rules
from bot.domain.checkin_proof import Proof
from bot.domain.meetings import KIND_LABELS
from bot.domain.minutes import MeetingRules
from bot.domain.models import BranchSettings
from bot.errors import UserError
from bot.keys import refs
from bot.render import label, word
from bot.services import Services, membership, policy
from storage import audit, branches

BRANCH_FIELDS = ("quiet_start", "quiet_end", "digest_time", "notice_nudge_days", "away_makeup",  # the branch's alone
                 "member_report_months", "checkin_proof")
POLICY_FIELDS = rules.BRANCH_FIELDS  # the units' policy rules them; the branch may only be stricter
FOLLOW = "follow"  # the choice that gives a setting back to the units' policy


def field_label(field: str) -> str:
    """What the card calls a setting (templates/branch_settings/words.j2); a cadence is named by its kind of meeting."""
    for kind in options.CADENCE_KINDS:
        if field == f"cadence_{kind.value}":
            return KIND_LABELS[kind]
    return word("branch_settings/field", field=field)


@dataclass
class SettingsView:
    """The card: the settings in force (the units' policy with the branch's stricter choices), and who rules each."""

    branch_name: str
    settings: BranchSettings
    rules: MeetingRules
    rulings: rules.Rulings  # the branch's, in force
    units: rules.Rulings  # its units' alone: the floor of its choices
    sources: dict[str, str]  # policy setting → the unit whose rule holds ("" for the branch's own or the default)

    def shown(self, field: str) -> str:
        """The current value of one setting, as the card shows it."""
        if field in POLICY_FIELDS:
            return policy.value_label(field, self.rulings[field].code)
        value = getattr(self.settings, field)
        if field == "away_makeup":
            return options.AWAY_MAKEUP_LABELS[value]
        if field == "member_report_months":
            return options.MEMBER_REPORT_LABELS[value]
        if field == "checkin_proof":
            return options.PROOF_LABELS[proof_rules.in_force(value, self.units["checkin"].code)]
        return word("branch_settings/days", n=value) if field == "notice_nudge_days" else str(value)

    def changeable(self, field: str) -> bool:
        """Offered on the card: a setting of the branch's own, or one its units' policy leaves it a choice in."""
        return field not in POLICY_FIELDS or bool(rules.branch_offer(field, self.units))

    def ruled(self) -> list[tuple[str, str, str]]:
        """(setting, value, unit) of every setting a unit above rules for the branch: the card's 上级规定 lines."""
        return [(policy.field_label(f), policy.value_label(f, r.code), self.sources[f])
                for f, r in self.rulings.items() if r.unit_id is not None and self.sources.get(f)]


async def view(svc: Services, telegram_id: int) -> SettingsView:
    """The card: the secretary's (or deputy's) own branch only."""
    actor = await membership.approver(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    in_force = await policy.branch_rulings(svc.db, branch)
    sources = {f: await policy.source_name(svc.db, r) for f, r in in_force.items() if r.unit_id is not None}
    return SettingsView(branch.name, rules.apply_settings(branch.settings, in_force),
                        rules.apply_rules(await policy.rules_of(svc.db, branch.id), in_force), in_force,
                        await policy.branch_units_rulings(svc.db, branch.id), sources)


async def offer(svc: Services, telegram_id: int, field: str) -> list[options.Choice]:
    """One setting's choices (re-checked: only the approver sees them). A policy setting's choices laxer than its
    units' rule are marked not allowed (the card leaves them out; pressed anyway, they are refused), and the last
    choice gives the setting back to the units."""
    actor = await membership.approver(svc, telegram_id)
    found = options.choices(field)
    if not found:
        raise UserError("common/stale.j2")
    if field == "checkin_proof":
        return await _proof_offer(svc, actor.branch_id, found)
    if field not in POLICY_FIELDS:
        return found
    units = await policy.branch_units_rulings(svc.db, actor.branch_id)
    allowed = rules.branch_offer(field, units)
    if not allowed:
        await policy.refuse_laxer(svc.db, actor.branch_id, field, found[0].code)
    marked = [replace(c, allowed=c.code in allowed) for c in found]
    ruling = units[field]
    follow = label("policy/follow", source=await policy.source_name(svc.db, ruling), field=field,
                   code=ruling.code)
    return [*marked, options.Choice(FOLLOW, follow)]


async def _proof_offer(svc: Services, branch_id: int, found: list[options.Choice]) -> list[options.Choice]:
    """签到方式's choices, those laxer than the units' rule marked not allowed."""
    floor = (await policy.branch_units_rulings(svc.db, branch_id))["checkin"].code
    return [replace(c, allowed=proof_rules.at_least(Proof(c.code), Proof(floor))) for c in found]


async def change(svc: Services, telegram_id: int, field: str, index: int) -> SettingsView:
    """A choice pressed (its index among the setting's choices): saved and audited (nothing is written when it
    is the value already set). A policy setting laxer than the units' rule is refused, whatever the button said."""
    actor = await membership.approver(svc, telegram_id)
    offered = await offer(svc, telegram_id, field)
    if not 0 <= index < len(offered):
        raise UserError("common/stale.j2")
    chosen = offered[index]
    if field in POLICY_FIELDS:
        await policy.choose(svc, actor.branch_id, field, None if chosen.code == FOLLOW else chosen.code, actor.id)
        return await view(svc, telegram_id)
    value = options.value_of(field, chosen.code)
    if value is None:
        raise UserError("common/stale.j2")
    if not chosen.allowed:  # a laxer 签到方式 than the units' rule, pressed anyway
        await policy.refuse_laxer(svc.db, actor.branch_id, "checkin", chosen.code)
    async with svc.db.write() as tx:
        branch = await branches.get(tx, actor.branch_id)
        was = getattr(branch.settings, field)
        if was != value:
            await branches.save_settings(tx, branch.id, branch.settings.model_copy(update={field: value}))
            await audit.record(tx, now=svc.now(), action="settings.change", branch_id=branch.id,
                               actor_id=actor.id, subject=refs.branch(branch.id), field=field, was=was, value=value)
    return await view(svc, telegram_id)
