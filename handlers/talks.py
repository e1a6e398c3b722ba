"""/talk: pick the member from a list of buttons, then one line "when, topic" — the talk is recorded."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import talks as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import button
from bot.services import talks
from handlers.telegram.common import guarded, reply, require_private
from handlers.telegram.presses import Press, presses, replies


@guarded
async def talk_command(update: Update, context: ZhibuContext) -> None:
    """/talk: the branch's members as buttons, those without a talk this year first."""
    require_private(update)
    year, people = await talks.candidates(context.svc, update.effective_user.id)
    buttons = [button("talks/member", cb.pick(c.member.id), name=c.member.name, talks=c.talks) for c in people]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    await reply(update, context, "talks/choose.j2", rows, year=year, people=len(people),
                without=sum(1 for c in people if not c.talks))


PRESSES = (Press(cb.pick, talks.begin, None,
                 replies("talks/ask_line.j2", params=lambda target: {"name": target.name}),
                 "A member's button: ask for the one line."),)


async def line_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The line "when, topic": recorded before the answer goes out."""
    text = update.message.text if update.message else None
    if text is None:
        raise UserError("talks/bad_line.j2", reason="empty")
    talk, target = await talks.record(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "talks/recorded.j2", day=talk.day, name=target.name, topic=talk.topic)


FORMS = (Form(talks.FORM, line_step),)


def handlers() -> list:
    return [CommandHandler("talk", talk_command), *presses(PRESSES)]
