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
from handlers.telegram.common import reply
from handlers.telegram.presses import Press, edits, presses, replies

LISTED = 40  # names a page: far under Telegram's 100 buttons


def _rows(shown: inspectors.Listing) -> list[list[Button]]:
    unit_id = shown.unit.id
    names = [button("units/remove_inspector", cb.remove(unit_id, i.telegram_id), name=i.name, tid=i.telegram_id)
             for i in shown.inspectors[:LISTED]]
    return ([names[i : i + 2] for i in range(0, len(names), 2)]
            + [[button("units/add_inspector", cb.add(unit_id)),
                button("units/up", units_cb.view(unit_id), name=shown.unit.name)]])


async def id_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The inspector's Telegram id, typed."""
    text = update.message.text if update.message else None
    unit, telegram_id, added = await inspectors.id_typed(context.svc, update.effective_user.id, text, conversation.data)
    shown = await inspectors.listing(context.svc, update.effective_user.id, unit.id)
    await reply(update, context, "units/inspector_added.j2", _rows(shown), unit=unit.name, telegram_id=telegram_id,
                added=added)


async def _remove(svc, user_id: int, unit_id: int, telegram_id: int) -> tuple[bool, inspectors.Listing]:
    removed = await inspectors.remove(svc, unit_id, telegram_id, actor_telegram_id=user_id)
    return removed, await inspectors.listing(svc, user_id, unit_id)


def _listed(shown: inspectors.Listing) -> dict:
    return {"v": shown, "listed": LISTED}


PRESSES = (
    Press(cb.listing, inspectors.listing, None, edits("units/inspectors.j2", _rows, _listed),
          "👁 巡查人员: the unit's inspectors, a 移除 button each, and ➕ 添加."),
    Press(cb.add, inspectors.begin_add, None, replies("units/ask_inspector.j2", params=lambda unit: {"unit": unit.name}),
          "➕ 添加巡查人员: ask for the Telegram id."),
    Press(cb.remove, _remove, lambda done: ("inspector_removed", {"removed": done[0]}),
          edits("units/inspectors.j2", lambda done: _rows(done[1]), lambda done: _listed(done[1])),
          "移除 …: no longer an inspector (their next read is refused); the list again."),
)


FORMS = (Form(inspectors.FORM, id_step),)


def handlers() -> list:
    return presses(PRESSES)
