"""Last resort: unknown commands and buttons nobody handles."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import ZhibuContext
from bot.render import render
from handlers.telegram.common import guarded, reply


@guarded
async def unknown_command(update: Update, context: ZhibuContext) -> None:
    """A command zhibu does not know: point to /help."""
    await reply(update, context, "common/unknown_command.j2")


async def unknown_button(update: Update, context: ZhibuContext) -> None:
    """A button from an old message or forged data: answered, nothing changed."""
    await update.callback_query.answer(render("common/stale.j2"), show_alert=True)


async def edited(update: Update, context: ZhibuContext) -> None:
    """An edited message is not read (a form already took the first version, a command already ran): in a private
    chat the person is told to send the correction as a new message; a group hears nothing. No other handler sees it."""
    if update.effective_chat.type == "private":
        await reply(update, context, "common/edit_ignored.j2")
    raise ApplicationHandlerStop


def edits() -> MessageHandler:
    """Registered in a group of its own ahead of all others, so no command or form step sees an edit."""
    return MessageHandler(filters.UpdateType.EDITED, edited)


def handlers() -> list:
    return [
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command),
        CallbackQueryHandler(unknown_button),
    ]
