"""Last resort: unknown commands and buttons nobody handles."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

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


def handlers() -> list:
    return [
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, unknown_command),
        CallbackQueryHandler(unknown_button),
    ]
