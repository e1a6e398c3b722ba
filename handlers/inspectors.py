"""/units → 👁 巡查人员: the officers of a unit (or above it) add read-only inspectors by Telegram id and remove
them; an inspector reads what the unit's officers read and changes nothing (bot/services/inspectors.py)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import inspectors as cb
from bot.callbacks import units as units_cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import inspectors
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast

LISTED = 40  # names a page: far under Telegram's 100 buttons


def _rows(shown: inspectors.Listing) -> list[list[Button]]:
    unit_id = shown.unit.id
    names = [button("units/remove_inspector", cb.remove(unit_id, i.telegram_id), name=i.name, tid=i.telegram_id)
             for i in shown.inspectors[:LISTED]]
    return ([names[i : i + 2] for i in range(0, len(names), 2)]
            + [[button("units/add_inspector", cb.add(unit_id)),
                button("units/up", units_cb.view(unit_id), name=shown.unit.name)]])


@guarded
async def listing_pressed(update: Update, context: ZhibuContext) -> None:
    """👁 巡查人员: the unit's inspectors, a 移除 button each, and ➕ 添加."""
    (unit_id,) = pressed(update, cb.listing)
    shown = await inspectors.listing(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    await edit(update, "units/inspectors.j2", _rows(shown), v=shown, listed=LISTED)


@guarded
async def add_pressed(update: Update, context: ZhibuContext) -> None:
    """➕ 添加巡查人员: ask for the Telegram id."""
    (unit_id,) = pressed(update, cb.add)
    unit = await inspectors.begin_add(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    await reply(update, context, "units/ask_inspector.j2", unit=unit.name)


async def id_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The inspector's Telegram id, typed."""
    text = update.message.text if update.message else None
    unit, telegram_id, added = await inspectors.id_typed(context.svc, update.effective_user.id, text, conversation.data)
    shown = await inspectors.listing(context.svc, update.effective_user.id, unit.id)
    await reply(update, context, "units/inspector_added.j2", _rows(shown), unit=unit.name, telegram_id=telegram_id,
                added=added)


@guarded
async def remove_pressed(update: Update, context: ZhibuContext) -> None:
    """移除 …: no longer an inspector (their next read is refused); the list again."""
    unit_id, telegram_id = pressed(update, cb.remove)
    svc, user_id = context.svc, update.effective_user.id
    removed = await inspectors.remove(svc, unit_id, telegram_id, actor_telegram_id=user_id)
    await toast(update, "inspector_removed", removed=removed)
    shown = await inspectors.listing(svc, user_id, unit_id)
    await edit(update, "units/inspectors.j2", _rows(shown), v=shown, listed=LISTED)


FORMS = (Form(inspectors.FORM, id_step),)


def handlers() -> list:
    return [on_press(cb.listing, listing_pressed), on_press(cb.add, add_pressed), on_press(cb.remove, remove_pressed)]
