"""A bare python-telegram-bot echo bot: the yardstick `zhibu bench updates|checkin` compare zhibu with.

It answers a text with the same text, and a button press with a toast and then a message (what zhibu's check-in
does). With ZHIBU_SEND_RATE above 0 (or unset: 30) it paces its sends with PTB's stock AIORateLimiter at that
rate, as zhibu paces its own; it handles one update at a time, as PTB does unless told otherwise.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(update.effective_message.text or "?")


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer(update.callback_query.data)
    await context.bot.send_message(update.callback_query.from_user.id, update.callback_query.data)


def main() -> None:
    builder = (
        ApplicationBuilder()
        .token(os.environ["ZHIBU_TOKEN"])
        .base_url(os.environ["ZHIBU_API_BASE_URL"])
        .base_file_url(os.environ["ZHIBU_API_FILE_URL"])
    )
    rate = float(os.environ.get("ZHIBU_SEND_RATE", "30"))
    if rate > 0:
        builder = builder.rate_limiter(AIORateLimiter(overall_max_rate=rate, overall_time_period=1, max_retries=3))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.add_handler(CallbackQueryHandler(tap))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
