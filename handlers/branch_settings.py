"""/settings: the secretary's card of branch settings, changed with buttons (each press re-authorised)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import branch_settings as cb
from bot.context import ZhibuContext
from bot.domain import branch_settings as options
from bot.outgoing import Button, button
from bot.services import branch_settings
from handlers import branch_holidays
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses

CARD_FIELDS = ("quiet_start", "quiet_end", "digest_time", "notice_nudge_days", "minutes_working_days",
               *(f"cadence_{k.value}" for k in options.CADENCE_KINDS), "theme_holiday_move", "theme_due_day",
               "away_makeup")


def _card_rows(view: branch_settings.SettingsView) -> list[list[Button]]:
    labels = [button("branch_settings/field", cb.field(f), label=branch_settings.field_label(f), value=view.shown(f))
              for f in CARD_FIELDS if view.changeable(f)]  # what the units' policy fixes is not offered
    return [labels[i : i + 2] for i in range(0, len(labels), 2)] + [[button("branch_settings/holidays", cb.holidays())]]


def _card_params(view: branch_settings.SettingsView) -> dict:
    cadences = [(f, branch_settings.field_label(f), view.shown(f)) for f in CARD_FIELDS if f.startswith("cadence_")]
    return {"view": view, "cadences": cadences,
            **{f: view.shown(f) for f in ("theme_holiday_move", "theme_due_day", "away_makeup")}, "ruled": view.ruled()}


@guarded
async def settings_command(update: Update, context: ZhibuContext) -> None:
    """/settings: the card (secretary or deputy only)."""
    view = await branch_settings.view(context.svc, update.effective_user.id)
    await reply(update, context, "branch_settings/card.j2", _card_rows(view), **_card_params(view))


async def _offer(svc, user_id: int, field: str) -> tuple:
    """The setting's choices and the value shown now."""
    found = await branch_settings.offer(svc, user_id, field)
    return field, found, (await branch_settings.view(svc, user_id)).shown(field)


def _offer_rows(offered: tuple) -> list[list[Button]]:
    field, found, current = offered
    labels = [button("branch_settings/choice", cb.choose(field, i), label=c.label, chosen=c.label == current)
              for i, c in enumerate(found) if c.allowed]
    return [labels[i : i + 3] for i in range(0, len(labels), 3)] + [[button("branch_settings/back", cb.card())]]


async def _change(svc, user_id: int, field: str, index: int) -> tuple:
    return field, await branch_settings.change(svc, user_id, field, index)


_CARD = edits("branch_settings/card.j2", _card_rows, _card_params)

PRESSES = (
    Press(cb.card, branch_settings.view, None, _CARD, "« 返回: the card again, in place."),
    Press(cb.field, _offer, None,
          edits("branch_settings/options.j2", _offer_rows,
                lambda o: {"field": o[0], "label": branch_settings.field_label(o[0]), "current": o[2]}),
          "A setting: its choices, the current one ticked."),
    Press(cb.choose, _change,
          lambda done: ("settings_saved", {"label": branch_settings.field_label(done[0]),
                                           "value": done[1].shown(done[0])}),
          edits("branch_settings/card.j2", lambda done: _card_rows(done[1]), lambda done: _card_params(done[1])),
          "A choice: saved and audited, then the card with the new value."),
)


def handlers() -> list:
    return [CommandHandler("settings", settings_command), *presses(PRESSES), *branch_holidays.handlers()]


FORMS = branch_holidays.FORMS
