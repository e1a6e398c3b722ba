"""The one error handler: log with the traceback first, then tell the person plainly — and truthfully.

When the update's change was already committed (the unit of work says so) and only the answer failed (a 5xx, a
cut connection, the message to edit gone), "the action may not have completed" would be false and invite a
second submission: the person is told, through the outbox, that it was saved.

A write conflict (PostgreSQL: another process changed the same rows) is no error of the person's: while nothing of
the handling was saved or sent it is left to the update processor, which runs the handling again from its start
(handlers/telegram/ordering.py); once the tries are used up, or when the handling cannot be repeated, the person
is told the bot is busy and nothing was saved.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ApplicationHandlerStop

from bot.context import ZhibuContext
from bot.render import plain_text, render
from bot.services import membership, notify
from bot.services.updates import AlreadyApplied, WriteConflict, current_update

log = logging.getLogger(__name__)


async def on_error(update: object, context: ZhibuContext) -> None:
    if isinstance(context.error, AlreadyApplied):  # another delivery of it was handled: its change rolled back
        log.info("%s; this delivery changed nothing", context.error)
        return
    if isinstance(context.error, WriteConflict) and await conflicted(update, context, context.error):
        raise ApplicationHandlerStop  # the update's handling ends here: no later handler group runs
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
        else:
            await tell(update, context, "common/error.j2")
    except Exception:  # the apology itself failed (network down): the log above has the story
        log.warning("could not tell the user about the error", exc_info=True)


async def conflicted(update: object, context: ZhibuContext, conflict: WriteConflict) -> bool:
    """A write conflict: left to the next try when the handling can be repeated (nothing saved or sent), else
    answered "busy, nothing saved" when nothing was saved (True). False: part of it was saved (the usual story)."""
    applied = current_update()
    if applied is not None and applied.repeatable():
        applied.conflict = conflict
        raise ApplicationHandlerStop  # this try ends here; the update processor runs the next
    if applied is not None and applied.committed:
        return False
    why = "it had reached Telegram already" if applied is not None and applied.reached_telegram else "no try left"
    log.warning("write conflict while handling an update, not run again (%s); nothing was saved, the person is "
                "asked to try again: %s", why, conflict)
    if not isinstance(update, Update):
        return True
    try:
        await tell(update, context, "common/busy.j2")
    except Exception:  # the answer itself failed (network down): the warning above has the story
        log.warning("could not tell the user the bot was busy", exc_info=True)
    return True


async def tell(update: Update, context: ZhibuContext, template: str) -> None:
    """`template` as the press's alert, else (a private chat) as a message; a group chat hears nothing. A handler
    that failed after answering the press (say, its edit got a 5xx) has used that up, so in a private chat it comes
    as a message instead of not at all."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(plain_text(render(template))[:200], show_alert=True)
            return
        except BadRequest:  # answered before the error
            log.info("the press was answered already; telling the person in their chat")
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await context.bot.send_message(chat.id, render(template))


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
