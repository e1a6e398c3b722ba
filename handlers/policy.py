"""/policy for officers: their unit's policy for the subtree (组织生活规定), each setting with the unit it comes from,
changed in two taps (only values at least as strict as the units above allow); 📌 统一主题 sets the month's theme for
the subtree with buttons. Inspectors see the card without buttons to change it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import policy as cb
from bot.context import ZhibuContext
from bot.domain import policy as rules
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import unit_policy, unit_themes
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast


def _at(field: str) -> int:
    return rules.FIELDS.index(field)


def _named(index: int) -> str:
    """The setting a button names by index; a forged index names none (refused by the use case)."""
    return rules.FIELDS[index] if 0 <= index < len(rules.FIELDS) else ""


def _pairs(found: list[Button]) -> list[list[Button]]:
    return [found[i : i + 2] for i in range(0, len(found), 2)]


def _card_rows(c: unit_policy.Card) -> list[list[Button]]:
    rows = [] if c.read_only else _pairs(
        [button("policy/line", cb.field(c.unit.id, _at(line.field)), name=line.name, value=line.value) for line in c.lines])
    if not c.read_only:
        rows.append([button("policy/theme", cb.themes(c.unit.id))])
    return rows + _pairs([button("policy/unit", cb.card(u.id), name=u.name) for u in (c.children + c.scope)[:20]])


@guarded
async def policy_command(update: Update, context: ZhibuContext) -> None:
    """/policy: the officer's (or inspector's) unit's policy card."""
    shown = await unit_policy.card(context.svc, update.effective_user.id)
    await reply(update, context, "policy/card.j2", _card_rows(shown), c=shown)


@guarded
async def card_pressed(update: Update, context: ZhibuContext) -> None:
    """« 返回, or another unit: its card in place (re-checked: in the reader's subtree)."""
    (unit_id,) = pressed(update, cb.card)
    shown = await unit_policy.card(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    await edit(update, "policy/card.j2", _card_rows(shown), c=shown)


def _offer_rows(o: unit_policy.Offer) -> list[list[Button]]:
    values = [button("policy/choice", cb.choose(o.unit.id, _at(o.field), i), field=o.field, code=code,
                     chosen=code == o.current) for i, code in enumerate(rules.choices(o.field)) if code in o.allowed]
    follow = button("policy/follow", cb.follow(o.unit.id, _at(o.field)), source=o.above_source, field=o.field,
                    code=o.above.code, is_root=o.unit.is_root)
    return [values[i : i + 3] for i in range(0, len(values), 3)] + [[follow], [button("policy/back", cb.card(o.unit.id))]]


@guarded
async def field_pressed(update: Update, context: ZhibuContext) -> None:
    """A setting: the values the unit may set, the one in force ticked."""
    unit_id, index = pressed(update, cb.field)
    shown = await unit_policy.offer(context.svc, update.effective_user.id, unit_id, _named(index))
    await update.callback_query.answer()
    await edit(update, "policy/options.j2", _offer_rows(shown), o=shown)


async def _changed(update: Update, context: ZhibuContext, unit_id: int, field: str, code: str | None) -> None:
    done = await unit_policy.change(context.svc, update.effective_user.id, unit_id, field, code)
    await toast(update, "policy_changed", name=done.name, was=done.was, now=done.now)
    shown = await unit_policy.card(context.svc, update.effective_user.id, unit_id)
    await edit(update, "policy/card.j2", _card_rows(shown), c=shown)


@guarded
async def choose_pressed(update: Update, context: ZhibuContext) -> None:
    """A value: set for the subtree if the units above allow it (whatever the button said), audited."""
    unit_id, at, index = pressed(update, cb.choose)
    values = rules.choices(_named(at))
    await _changed(update, context, unit_id, _named(at), values[index] if 0 <= index < len(values) else "")


@guarded
async def follow_pressed(update: Update, context: ZhibuContext) -> None:
    """↩️ 跟随上级: the unit's own value dropped; the units above decide again."""
    unit_id, at = pressed(update, cb.follow)
    await _changed(update, context, unit_id, _named(at), None)


def _month_rows(m: unit_themes.Months) -> list[list[Button]]:
    return [[button("policy/month", cb.theme_month(m.unit.id, x.code), year=x.year, month=x.month, theme=x.theme)]
            for x in m.months] + [[button("policy/back", cb.card(m.unit.id))]]


@guarded
async def themes_pressed(update: Update, context: ZhibuContext) -> None:
    """📌 统一主题: the months (this one and the two after it), with what the unit set for each."""
    (unit_id,) = pressed(update, cb.themes)
    shown = await unit_themes.months(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    await edit(update, "policy/theme_months.j2", _month_rows(shown), m=shown)


@guarded
async def month_pressed(update: Update, context: ZhibuContext) -> None:
    """A month: the officer's next message is its theme."""
    unit_id, code = pressed(update, cb.theme_month)
    unit, month = await unit_themes.begin(context.svc, update.effective_user.id, unit_id, code)
    await update.callback_query.answer()
    await reply(update, context, "policy/ask_theme.j2", unit=unit.name, month=month, max=unit_themes.THEME_MAX)


async def theme_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The theme, typed: set for the subtree; the branches' coming theme days carry it."""
    text = update.message.text if update.message else None
    done = await unit_themes.typed(context.svc, update.effective_user.id, text, conversation.data)
    await reply(update, context, "policy/theme_set.j2", [[button("policy/back", cb.card(done.unit.id))]], d=done)


FORMS = (Form(unit_themes.FORM, theme_step),)


def handlers() -> list:
    return [CommandHandler("policy", policy_command), on_press(cb.card, card_pressed),
            on_press(cb.field, field_pressed), on_press(cb.choose, choose_pressed),
            on_press(cb.follow, follow_pressed), on_press(cb.themes, themes_pressed),
            on_press(cb.theme_month, month_pressed)]
