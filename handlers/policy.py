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
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


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


def _offer_rows(o: unit_policy.Offer) -> list[list[Button]]:
    values = [button("policy/choice", cb.choose(o.unit.id, _at(o.field), i), field=o.field, code=code,
                     chosen=code == o.current) for i, code in enumerate(rules.choices(o.field)) if code in o.allowed]
    follow = button("policy/follow", cb.follow(o.unit.id, _at(o.field)), source=o.above_source, field=o.field,
                    code=o.above.code, is_root=o.unit.is_root)
    return [values[i : i + 3] for i in range(0, len(values), 3)] + [[follow], [button("policy/back", cb.card(o.unit.id))]]


async def _offer(svc, user_id: int, unit_id: int, index: int) -> unit_policy.Offer:
    return await unit_policy.offer(svc, user_id, unit_id, _named(index))


async def _changed(svc, user_id: int, unit_id: int, field: str, code: str | None) -> tuple:
    """Set for the subtree if the units above allow it (whatever the button said), audited; then the card."""
    done = await unit_policy.change(svc, user_id, unit_id, field, code)
    return done, await unit_policy.card(svc, user_id, unit_id)


async def _choose(svc, user_id: int, unit_id: int, at: int, index: int) -> tuple:
    values = rules.choices(_named(at))
    return await _changed(svc, user_id, unit_id, _named(at), values[index] if 0 <= index < len(values) else "")


async def _follow(svc, user_id: int, unit_id: int, at: int) -> tuple:
    return await _changed(svc, user_id, unit_id, _named(at), None)


def _month_rows(m: unit_themes.Months) -> list[list[Button]]:
    return [[button("policy/month", cb.theme_month(m.unit.id, x.code), year=x.year, month=x.month, theme=x.theme)]
            for x in m.months] + [[button("policy/back", cb.card(m.unit.id))]]


async def theme_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The theme, typed: set for the subtree; the branches' coming theme days carry it."""
    text = update.message.text if update.message else None
    done = await unit_themes.typed(context.svc, update.effective_user.id, text, conversation.data)
    await reply(update, context, "policy/theme_set.j2", [[button("policy/back", cb.card(done.unit.id))]], d=done)


def _card(c: unit_policy.Card) -> dict:
    return {"c": c}


def _told(result: tuple) -> tuple[str, dict]:
    done = result[0]
    return "policy_changed", {"name": done.name, "was": done.was, "now": done.now}


_CHANGED = edits("policy/card.j2", lambda result: _card_rows(result[1]), lambda result: _card(result[1]))

PRESSES = (
    Press(cb.card, unit_policy.card, None, edits("policy/card.j2", _card_rows, _card),
          "« 返回, or another unit: its card in place (re-checked: in the reader's subtree)."),
    Press(cb.field, _offer, None, edits("policy/options.j2", _offer_rows, lambda o: {"o": o}),
          "A setting: the values the unit may set, the one in force ticked."),
    Press(cb.choose, _choose, _told, _CHANGED,
          "A value: set for the subtree if the units above allow it (whatever the button said), audited."),
    Press(cb.follow, _follow, _told, _CHANGED, "↩️ 跟随上级: the unit's own value dropped; the units above decide again."),
    Press(cb.themes, unit_themes.months, None, edits("policy/theme_months.j2", _month_rows, lambda m: {"m": m}),
          "📌 统一主题: the months (this one and the two after it), with what the unit set for each."),
    Press(cb.theme_month, unit_themes.begin, None,
          replies("policy/ask_theme.j2", params=lambda begun: {"unit": begun[0].name, "month": begun[1],
                                                                "max": unit_themes.THEME_MAX}),
          "A month: the officer's next message is its theme."),
)

FORMS = (Form(unit_themes.FORM, theme_step),)


def handlers() -> list:
    return [CommandHandler("policy", policy_command), *presses(PRESSES)]
