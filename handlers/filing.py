"""/followups: a 不合格 result's follow-up — the secretary picks the measure and deadline and asks for 销号 with a
line saying what was done; an officer above the branch confirms or sends it back. /export by an officer: the
unit's registers across its branches in one Excel."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.callbacks import filing as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.ids import parse_id
from bot.outgoing import button
from bot.services import followups, unit_books
from handlers.telegram.common import (
    edit,
    guarded,
    on_press,
    pressed,
    reply,
    require_private,
)


@guarded
async def show_followups(update: Update, context: ZhibuContext) -> None:
    """/followups: the open follow-ups of the secretary's branch or the officer's subtree, each with its card."""
    found = await followups.listing(context.svc, update.effective_user.id)
    rows = [[button("filing/item", cb.card(f["id"]), name=f["name"], branch=f["branch"])] for f in found.items[:30]]
    await reply(update, context, "filing/followups.j2", rows, listing=found)


async def _card(update: Update, context: ZhibuContext, followup_id: int) -> None:
    shown = await followups.card(context.svc, update.effective_user.id, followup_id)
    await edit(update, "filing/followup_card.j2", shown.buttons, f=shown.info)


@guarded
async def card_pressed(update: Update, context: ZhibuContext) -> None:
    """A follow-up of the list: its card, with what the presser may do."""
    (followup_id,) = pressed(update, cb.card)
    await update.callback_query.answer()
    await _card(update, context, followup_id)


@guarded
async def measure_pressed(update: Update, context: ZhibuContext) -> None:
    """限期改正 / 劝其退党 / 除名: the measure, with its default deadline."""
    require_private(update)
    followup_id, measure = pressed(update, cb.measure)
    await followups.choose_measure(context.svc, update.effective_user.id, followup_id, measure)
    await update.callback_query.answer(measure.label)
    await _card(update, context, followup_id)


@guarded
async def months_pressed(update: Update, context: ZhibuContext) -> None:
    """N 个月: the deadline moves to N months from today."""
    require_private(update)
    followup_id, months = pressed(update, cb.months)
    await followups.choose_months(context.svc, update.effective_user.id, followup_id, months)
    await update.callback_query.answer()
    await _card(update, context, followup_id)


@guarded
async def close_pressed(update: Update, context: ZhibuContext) -> None:
    """销号: ask what was done."""
    require_private(update)
    (followup_id,) = pressed(update, cb.close)
    info = await followups.begin_close(context.svc, update.effective_user.id, followup_id)
    await update.callback_query.answer()
    await reply(update, context, "filing/ask_note.j2", f=info)


async def note_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The line saying what was done: 销号 is asked of the officers above."""
    text = update.message.text if update.message else None
    info, asked = await followups.close_note_typed(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "filing/close_requested.j2", f=info, asked=asked)


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """确认销号 (an officer above the branch)."""
    require_private(update)
    (followup_id,) = pressed(update, cb.confirm)
    info = await followups.decide(context.svc, update.effective_user.id, followup_id, confirm=True)
    await update.callback_query.answer()
    await edit(update, "filing/followup_card.j2", [], f=info)


@guarded
async def send_back_pressed(update: Update, context: ZhibuContext) -> None:
    """退回 (an officer above the branch): the follow-up is open again."""
    require_private(update)
    (followup_id,) = pressed(update, cb.send_back)
    info = await followups.decide(context.svc, update.effective_user.id, followup_id, confirm=False)
    await update.callback_query.answer()
    await edit(update, "filing/followup_card.j2", [], f=info)


async def unit_export(update: Update, context: ZhibuContext) -> None:
    """/export NAME PERIOD [UNIT_ID] by an officer: one Excel over every branch of the unit."""
    args = context.args or []
    unit_id = parse_id(args[2]) if len(args) == 3 else None  # beyond any id: the usage, never an overflow
    if len(args) not in (2, 3) or (len(args) == 3 and unit_id is None):
        await reply(update, context, "filing/unit_export_usage.j2", exporters=unit_books.unit_exporters(context.svc))
        return
    file = await unit_books.for_officer(context.svc, update.effective_user.id, args[0], args[1], unit_id)
    await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(file.data), filename=file.filename),
                                    caption=file.filename.removesuffix(".xlsx"))


FORMS = (Form(followups.CLOSE_FORM, note_step),)


def handlers() -> list:
    return [CommandHandler("followups", show_followups), on_press(cb.card, card_pressed),
            on_press(cb.measure, measure_pressed), on_press(cb.months, months_pressed),
            on_press(cb.close, close_pressed), on_press(cb.confirm, confirm_pressed),
            on_press(cb.send_back, send_back_pressed)]
