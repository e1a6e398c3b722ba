"""A bare python-telegram-bot echo bot: the yardstick `zhibu bench updates` compares zhibu with."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(update.effective_message.text or "?")


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer(update.callback_query.data)


def main() -> None:
    app = (
        ApplicationBuilder()
        .token(os.environ["ZHIBU_TOKEN"])
        .base_url(os.environ["ZHIBU_API_BASE_URL"])
        .base_file_url(os.environ["ZHIBU_API_FILE_URL"])
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(tap))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
