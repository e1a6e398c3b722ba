"""/away (请销假) in chat: ask once for a standing leave (reason, then the date range), and 销假 to end it early."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import away as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import button
from bot.services import away
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses


@guarded
async def away_command(update: Update, context: ZhibuContext) -> None:
    """/away: the standing leave under way (with 销假), the request waiting, or the form to ask for one."""
    current, waiting = await away.status(context.svc, update.effective_user.id)
    if current is None and waiting is None:
        await away.begin(context.svc, update.effective_user.id)
    rows = [[button("away/end", cb.end(current.id))]] if current else None
    await reply(update, context, "away/status.j2", rows, current=current, waiting=waiting)


async def away_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The reason, then the range (a day range as people write it)."""
    text = update.message.text if update.message else None
    if conversation.step == "reason":
        await away.take_reason(context.svc, update.effective_user.id, text)
        await reply(update, context, "away/ask_range.j2")
        return
    content = await away.submit(context.svc, update.effective_user.id, conversation.data["reason"], text)
    await reply(update, context, "away/sent.j2", **content)


PRESSES = (Press(cb.end, away.end_early, None, edits("away/ended.j2"), "销假: the standing leave ends today."),)


FORMS = (Form("away", away_step),)


def handlers() -> list:
    return [CommandHandler("away", away_command), *presses(PRESSES)]
