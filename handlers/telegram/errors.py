"""The one error handler: log with the traceback first, then tell the person plainly — and truthfully.

When the update's change was already committed (the unit of work says so) and only the answer failed (a 5xx, a
cut connection, the message to edit gone), "the action may not have completed" would be false and invite a
second submission: the person is told, through the outbox, that it was saved.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot.context import ZhibuContext
from bot.render import render
from bot.services import membership, notify
from bot.services.updates import AlreadyApplied, current_update

log = logging.getLogger(__name__)


async def on_error(update: object, context: ZhibuContext) -> None:
    if isinstance(context.error, AlreadyApplied):  # another delivery of it was handled: its change rolled back
        log.info("%s; this delivery changed nothing", context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    if isinstance(context.error, Forbidden) and update.effective_user is not None:
        # The person blocked the bot between writing and our answer: remember it, nothing to say.
        await membership.mark_unreachable(context.svc, update.effective_user.id)
        return
    applied = current_update()
    try:
        if applied is not None and applied.committed:
            await tell_saved(update, context, applied.update_id)
        elif update.callback_query is not None:
            await apologise_for_press(update, context)
        elif update.effective_chat is not None and update.effective_chat.type == "private":
            await context.bot.send_message(update.effective_chat.id, render("common/error.j2"))
    except Exception:  # the apology itself failed (network down): the log above has the story
        log.warning("could not tell the user about the error", exc_info=True)


async def apologise_for_press(update: Update, context: ZhibuContext) -> None:
    """The apology as the press's answer; a handler that failed after answering (say, its edit got a 5xx) has used
    that up, so in a private chat it comes as a message instead of not at all."""
    try:
        await update.callback_query.answer(render("common/error.j2"), show_alert=True)
        return
    except BadRequest:  # "query is too old … or query ID is invalid": answered already
        log.info("the press was answered before the error; apologising in the chat")
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await context.bot.send_message(chat.id, render("common/error.j2"))


async def tell_saved(update: Update, context: ZhibuContext, update_id: int) -> None:
    """A pressed button gets the news in its answer when that still works; a private chat gets it through the
    outbox otherwise (retried like every message). Group chats hear nothing more, as with the apology."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(render("common/saved.j2"), show_alert=True)
            return
        except Exception:  # answered already, or the network is down: fall back to the outbox
            log.info("could not answer the button press; telling the person in their chat", exc_info=True)
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await notify.action_saved(context.svc, chat.id, update_id)
