"""Routes what a person types (or shares) to the step of the form they are filling in.

Features declare their forms (a step function per form kind, bot.features.Form) in their chat side; the router
finds them in `svc.features.forms`. The form's state lives in the database, so a restart or a day's pause picks
up where the person left off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.services import conversations, membership
from handlers import todos
from handlers.join import applicant_rows
from handlers.telegram.common import guarded, reply

# What a form's step is called with; the step is declared as `bot.features.Form(kind, step, resume)`.
Step = Callable[[Update, ZhibuContext, Conversation], Awaitable[None]]


@guarded
async def on_input(update: Update, context: ZhibuContext) -> None:
    """Private text, photo, document or location: the current form's next step, or a hint."""
    user = update.effective_user
    conversation = await conversations.current(context.svc, user.id)
    form = context.svc.features.forms.get(conversation.kind) if conversation is not None else None
    if form is not None:
        await form.step(update, context, conversation)
        return
    member = await membership.member_of(context.svc, user.id)
    if member is None:
        await reply(update, context, "common/how_to_join.j2")
    elif not member.is_active:
        await reply(update, context, "start/pending.j2", applicant_rows(), member=member)
    elif (phrase := context.svc.features.phrases.get(phrase_key(update))) is not None:
        await phrase.handle(update, context)  # "签到", "我到了", "请假": the words do what they say
    else:
        await todos.not_understood(update, context)


def phrase_key(update: Update) -> str:
    """Typed words as phrases are looked up: without spaces and the punctuation people end them with."""
    text = update.message.text if update.message and update.message.text else ""
    return "".join(text.split()).rstrip("。.!！~～")


@guarded
async def cancel(update: Update, context: ZhibuContext) -> None:
    """/cancel: stop the current form; drafts of long forms stay saved by their feature."""
    user = update.effective_user
    conversation = await conversations.cancel(context.svc, user.id)
    # Forms whose answers are saved outside the conversation (a draft) name the command that resumes them;
    # other forms are simply dropped.
    form = context.svc.features.forms.get(conversation.kind) if conversation is not None else None
    await reply(update, context, "common/cancelled.j2", had_form=conversation is not None,
                resume=form.resume if form else None)


def handlers() -> list:
    private_input = filters.ChatType.PRIVATE & (
        (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL | filters.LOCATION
    )
    return [CommandHandler("cancel", cancel), MessageHandler(private_input, on_input)]
