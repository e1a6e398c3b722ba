"""A button that opens a command (a digest section's, a to-do's), and the answer to a message nobody understood:
the person's to-dos, each as its button."""

from __future__ import annotations

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler

from bot.callbacks import commands as cb
from bot.context import ZhibuContext
from bot.services import todos
from handlers.telegram.common import guarded, on_press, pressed, reply


def _command_callback(context: ZhibuContext, name: str):
    for group in context.application.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler) and name in handler.commands:
                return handler.callback
    return None


@guarded
async def command_pressed(update: Update, context: ZhibuContext) -> None:
    """The command runs as if it were typed (it checks who pressed, as always); a refusal it gives answers the tap."""
    (command,) = pressed(update, cb.open_command)
    callback = _command_callback(context, command.value)
    if callback is not None:
        await callback(update, context)
    try:
        await update.callback_query.answer()
    except BadRequest as exc:  # the command already answered the tap (a refusal, as an alert)
        if "query is too old" not in str(exc).lower():
            raise


async def not_understood(update: Update, context: ZhibuContext) -> None:
    """A message that is neither a form's answer nor words we know: the person's to-dos as buttons."""
    rows = await todos.buttons_for(context.svc, update.effective_user.id)
    await reply(update, context, "common/todos.j2", rows, count=len(rows))


def handlers() -> list:
    return [on_press(cb.open_command, command_pressed)]
