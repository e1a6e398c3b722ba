"""/settings: the branch's settings as the secretary changes them in chat — quiet hours, the digest time, the
notice nudge, the theme day's holiday rule and due day, make-up for members on leave (branch settings) and the
minutes deadline and 三会一课 cadences (meeting rules). Every change is re-authorised (secretary or deputy of this
branch), offered as a fixed choice, and audited. The branch's own holidays: bot/services/branch_holidays.py."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import branch_settings as options
from bot.domain.cadence import Cadence
from bot.domain.holidays import MOVE_LABELS
from bot.domain.meetings import KIND_LABELS
from bot.domain.minutes import MeetingRules
from bot.domain.models import BranchSettings
from bot.errors import UserError
from bot.keys import refs
from bot.render import word
from bot.services import Services, meeting_rules, membership
from storage import audit, branches, minutes

BRANCH_FIELDS = ("quiet_start", "quiet_end", "digest_time", "notice_nudge_days", "theme_holiday_move",
                 "theme_due_day", "away_makeup")


def field_label(field: str) -> str:
    """What the card calls a setting (templates/branch_settings/words.j2); a cadence is named by its kind of meeting."""
    for kind in options.CADENCE_KINDS:
        if field == f"cadence_{kind.value}":
            return KIND_LABELS[kind]
    return word("branch_settings/field", field=field)


@dataclass
class SettingsView:
    branch_name: str
    settings: BranchSettings
    rules: MeetingRules

    def shown(self, field: str) -> str:
        """The current value of one setting, as the card shows it."""
        if field in BRANCH_FIELDS:
            value = getattr(self.settings, field)
            if field == "theme_holiday_move":
                return MOVE_LABELS[value]
            if field == "theme_due_day":
                return options.due_day_label(value)
            if field == "away_makeup":
                return options.AWAY_MAKEUP_LABELS[value]
            return word("branch_settings/days", n=value) if field == "notice_nudge_days" else str(value)
        if field == "minutes_working_days":
            return word("branch_settings/working_days", n=self.rules.minutes_working_days)
        kind = next(k for k in options.CADENCE_KINDS if f"cadence_{k.value}" == field)
        return options.cadence_label(self.rules.cadences.get(kind) or Cadence(per="year", times=0))


async def view(svc: Services, telegram_id: int) -> SettingsView:
    """The card: the secretary's (or deputy's) own branch only."""
    actor = await membership.approver(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    return SettingsView(branch.name, branch.settings, await minutes.rules_of(svc.db, branch.id))


async def offer(svc: Services, telegram_id: int, field: str) -> list[options.Choice]:
    """One setting's choices (re-checked: only the approver sees them)."""
    await membership.approver(svc, telegram_id)
    found = options.choices(field)
    if not found:
        raise UserError("common/stale.j2")
    return found


async def change(svc: Services, telegram_id: int, field: str, index: int) -> SettingsView:
    """A choice pressed (its index among the setting's choices): saved and audited (nothing is written when it
    is the value already set)."""
    actor = await membership.approver(svc, telegram_id)
    offered = options.choices(field)
    value = options.value_of(field, offered[index].code) if 0 <= index < len(offered) else None
    if value is None:
        raise UserError("common/stale.j2")
    if field == "theme_due_day" and value == options.NO_DUE_DAY:
        value = None
    if field in BRANCH_FIELDS:
        async with svc.db.write() as tx:
            branch = await branches.get(tx, actor.branch_id)
            was = getattr(branch.settings, field)
            if was != value:
                await branches.save_settings(tx, branch.id, branch.settings.model_copy(update={field: value}))
                await audit.record(tx, now=svc.now(), action="settings.change", branch_id=branch.id,
                                   actor_id=actor.id, subject=refs.branch(branch.id), field=field, was=was, value=value)
    elif field == "minutes_working_days":
        await meeting_rules.change(svc, actor.branch_id, lambda r: r.model_copy(update={field: value}), actor.id)
    else:
        kind = next(k for k in options.CADENCE_KINDS if f"cadence_{k.value}" == field)
        await meeting_rules.change(
            svc, actor.branch_id, lambda r: r.model_copy(update={"cadences": {**r.cadences, kind: value}}), actor.id)
    return await view(svc, telegram_id)
