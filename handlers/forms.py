"""Routes what a person types (or shares) to the step of the form they are filling in.

Features register a step function per form kind; the form's state lives in the database, so a
restart or a day's pause picks up where the person left off.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.services import membership
from handlers.telegram.common import guarded, reply
from storage import conversations
from storage.db import transaction

Step = Callable[[Update, ZhibuContext, Conversation], Awaitable[None]]
_steps: dict[str, Step] = {}


# Forms whose answers are saved outside the conversation (a draft submission) and the command that resumes them;
# /cancel tells the person so. Other forms are simply dropped by /cancel.
_resume: dict[str, str] = {}


def register_form(kind: str, step: Step, resume: str | None = None) -> None:
    _steps[kind] = step
    if resume:
        _resume[kind] = resume


@guarded
async def on_input(update: Update, context: ZhibuContext) -> None:
    """Private text, photo, document or location: the current form's next step, or a hint."""
    user = update.effective_user
    conversation = await conversations.get(context.svc.db, user.id)
    if conversation is not None and conversation.kind in _steps:
        await _steps[conversation.kind](update, context, conversation)
        return
    member = await membership.member_of(context.svc, user.id)
    if member is None:
        await reply(update, context, "common/how_to_join.j2")
    elif not member.is_active:
        await reply(update, context, "start/pending.j2", member=member)
    else:
        await reply(update, context, "common/hint.j2")


@guarded
async def cancel(update: Update, context: ZhibuContext) -> None:
    """/cancel: stop the current form; drafts of long forms stay saved by their feature."""
    user = update.effective_user
    conversation = await conversations.get(context.svc.db, user.id)
    async with transaction(context.svc.db) as db:
        await conversations.clear(db, user.id)
    await reply(update, context, "common/cancelled.j2", had_form=conversation is not None,
                resume=_resume.get(conversation.kind) if conversation else None)


def handlers() -> list:
    private_input = filters.ChatType.PRIVATE & (
        (filters.TEXT & ~filters.COMMAND) | filters.PHOTO | filters.Document.ALL | filters.LOCATION
    )
    return [CommandHandler("cancel", cancel), MessageHandler(private_input, on_input)]
