"""Button presses from a table: each feature module lists its presses — the action (bot/callbacks), the use case it
runs and what the presser sees — and `presses(table)` makes the handlers. What every press does is done here,
once: the data parsed by the action's codec (anything else is stale), the use case called with the presser's
Telegram id (it re-checks who they are and what they may do), the query answered exactly once (a toast or a
silent answer), then the message shown; a refusal becomes a polite alert (`guarded`, which also refuses any press
in a group or under an inline message, so no press checks the chat itself).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Action
from bot.context import ZhibuContext
from bot.outgoing import Button
from handlers.telegram.common import edit, guarded, pressed, reply, toast

Rows = list[list[Button]] | None
# What the presser sees after the answer: (update, context, the use case's result).
Then = Callable[[Update, ZhibuContext, Any], Awaitable[None]]
# A toast: its name under templates/toasts/, or a function of the result giving (name, params).
Toast = str | Callable[[Any], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Press:
    """One kind of button: `run(svc, presser's telegram id, *the action's fields)` does it; `toast` answers the query
    (None: a silent answer); `then` shows what follows (see `edits` and `replies`)."""

    action: Action
    run: Callable[..., Awaitable[Any]]
    toast: Toast | None = None
    then: Then | None = None
    doc: str = ""


def _shows(as_edit: bool, template: str, rows: Callable[[Any], Rows] | None,
           params: Callable[[Any], dict[str, Any]] | None) -> Then:
    async def show(update: Update, context: ZhibuContext, result: Any) -> None:
        shown_rows, shown = (rows(result) if rows else None), (params(result) if params else {})
        if as_edit:
            await edit(update, template, shown_rows, **shown)
        else:
            await reply(update, context, template, shown_rows, **shown)

    return show


def edits(template: str, rows: Callable[[Any], Rows] | None = None,
          params: Callable[[Any], dict[str, Any]] | None = None) -> Then:
    """Then: the pressed message becomes `template` (rows and params from the result)."""
    return _shows(True, template, rows, params)


def replies(template: str, rows: Callable[[Any], Rows] | None = None,
            params: Callable[[Any], dict[str, Any]] | None = None) -> Then:
    """Then: a new message `template` under the pressed one (rows and params from the result)."""
    return _shows(False, template, rows, params)


async def _answer(update: Update, spec: Toast | None, result: Any) -> None:
    if spec is None:
        await update.callback_query.answer()
    elif isinstance(spec, str):
        await toast(update, spec)
    else:
        name, params = spec(result)
        await toast(update, name, **params)


def handler(entry: Press) -> Callable[[Update, ZhibuContext], Awaitable[None]]:
    """The guarded handler of one press."""

    async def on_press(update: Update, context: ZhibuContext) -> None:
        fields = pressed(update, entry.action)
        result = await entry.run(context.svc, update.effective_user.id, *fields)
        await _answer(update, entry.toast, result)
        if entry.then is not None:
            await entry.then(update, context, result)

    on_press.__name__ = on_press.__qualname__ = f"press_{entry.action.prefix}_{entry.action.code}"
    on_press.__doc__ = entry.doc or None
    return guarded(on_press)


def presses(table: Iterable[Press]) -> list[CallbackQueryHandler]:
    """The table's handlers, each registered for its action's pattern (other data falls through)."""
    return [CallbackQueryHandler(handler(entry), pattern=entry.action.pattern) for entry in table]
