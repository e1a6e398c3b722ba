"""/settings: the secretary's card of branch settings, changed with buttons (each press re-authorised)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import settings as cb
from bot.context import ZhibuContext
from bot.domain import settings_choices as options
from bot.outgoing import Button, button
from bot.services import branch_settings
from handlers import settings_holidays
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast

CARD_FIELDS = ("quiet_start", "quiet_end", "digest_time", "notice_nudge_days", "minutes_working_days",
               *(f"cadence_{k.value}" for k in options.CADENCE_KINDS), "theme_holiday_move", "theme_due_day",
               "away_makeup")


def _card_rows(view: branch_settings.SettingsView) -> list[list[Button]]:
    labels = [button("settings/field", cb.field(f), label=branch_settings.field_label(f), value=view.shown(f))
              for f in CARD_FIELDS]
    return [labels[i : i + 2] for i in range(0, len(labels), 2)] + [[button("settings/holidays", cb.holidays())]]


def _card_params(view: branch_settings.SettingsView) -> dict:
    cadences = [(f, branch_settings.field_label(f), view.shown(f)) for f in CARD_FIELDS if f.startswith("cadence_")]
    return {"view": view, "cadences": cadences,
            **{f: view.shown(f) for f in ("theme_holiday_move", "theme_due_day", "away_makeup")}}


@guarded
async def settings_command(update: Update, context: ZhibuContext) -> None:
    """/settings: the card (secretary or deputy only)."""
    view = await branch_settings.view(context.svc, update.effective_user.id)
    await reply(update, context, "settings/card.j2", _card_rows(view), **_card_params(view))


@guarded
async def card_pressed(update: Update, context: ZhibuContext) -> None:
    """« 返回: the card again, in place."""
    view = await branch_settings.view(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await edit(update, "settings/card.j2", _card_rows(view), **_card_params(view))


@guarded
async def field_pressed(update: Update, context: ZhibuContext) -> None:
    """A setting: its choices, the current one ticked."""
    (field,) = pressed(update, cb.field)
    found = await branch_settings.offer(context.svc, update.effective_user.id, field)
    current = (await branch_settings.view(context.svc, update.effective_user.id)).shown(field)
    labels = [button("settings/choice", cb.choose(field, i), label=c.label, chosen=c.label == current)
              for i, c in enumerate(found)]
    rows = [labels[i : i + 3] for i in range(0, len(labels), 3)] + [[button("settings/back", cb.card())]]
    await update.callback_query.answer()
    await edit(update, "settings/options.j2", rows, field=field, label=branch_settings.field_label(field),
               current=current)


@guarded
async def choice_pressed(update: Update, context: ZhibuContext) -> None:
    """A choice: saved and audited, then the card with the new value."""
    field, index = pressed(update, cb.choose)
    view = await branch_settings.change(context.svc, update.effective_user.id, field, index)
    await toast(update, "settings_saved", label=branch_settings.field_label(field), value=view.shown(field))
    await edit(update, "settings/card.j2", _card_rows(view), **_card_params(view))


def handlers() -> list:
    return [CommandHandler("settings", settings_command), on_press(cb.card, card_pressed),
            on_press(cb.field, field_pressed), on_press(cb.choose, choice_pressed), *settings_holidays.handlers()]


FORMS = settings_holidays.FORMS
