"""The one error handler: log with the traceback first, then tell the person plainly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden

from bot.context import ZhibuContext
from bot.render import render
from bot.services import membership

log = logging.getLogger(__name__)


async def on_error(update: object, context: ZhibuContext) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if isinstance(context.error, Forbidden) and update.effective_user is not None:
        # The person blocked the bot between writing and our answer: remember it, nothing to say.
        await membership.mark_unreachable(context.svc, update.effective_user.id)
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(render("common/error.j2"), show_alert=True)
        elif update.effective_chat is not None and update.effective_chat.type == "private":
            await context.bot.send_message(update.effective_chat.id, render("common/error.j2"))
    except Exception:  # the apology itself failed (network down): the log above has the story
        log.warning("could not tell the user about the error", exc_info=True)
