"""A theme day moved off a public holiday: the secretary's 确认 / 改日期 and the typed new day."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import holidays as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.services import holidays
from handlers.telegram.common import edit, guarded, on_press, pressed, reply


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """确认: the moved date stands."""
    (meeting_id,) = pressed(update, cb.confirm)
    info = await holidays.confirm(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await edit(update, "holidays/confirmed.j2", **info)


@guarded
async def change_pressed(update: Update, context: ZhibuContext) -> None:
    """改日期: ask for the day."""
    (meeting_id,) = pressed(update, cb.change)
    info = await holidays.begin_change(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await reply(update, context, "holidays/ask_day.j2", **info)


async def day_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed the new day."""
    info = await holidays.change(context.svc, update.effective_user.id, conversation.data["meeting_id"],
                                 update.message.text if update.message else None)
    await reply(update, context, "holidays/changed.j2", **info)


FORMS = (Form("holiday_date", day_step),)


def handlers() -> list:
    return [on_press(cb.confirm, confirm_pressed), on_press(cb.change, change_pressed)]
