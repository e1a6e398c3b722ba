"""Shared pieces of the Telegram adapters: keyboards, replies, and turning refusals into answers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Action
from bot.context import ZhibuContext
from bot.errors import UserError
from bot.outgoing import Button
from bot.render import plain_text, render
from bot.textsplit import split_message

log = logging.getLogger(__name__)

Handler = Callable[[Update, ZhibuContext], Awaitable[Any]]


def keyboard(rows: list[list[Button]] | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.data, url=b.url) for b in row]
            for row in rows
            if row
        ]
    )


async def send_html(bot: Any, chat_id: int, text: str, rows: list[list[Button]] | None = None) -> Message:
    """Send rendered HTML, split at Telegram's limit; the buttons ride on the last part."""
    parts = split_message(text)
    message = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        message = await bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=keyboard(rows) if last else None,
            link_preview_options=None,
        )
    assert message is not None
    return message


async def reply(update: Update, context: ZhibuContext, template: str, rows: list[list[Button]] | None = None,
                **params: Any) -> Message:
    """Answer in the chat the update came from."""
    return await send_html(context.bot, update.effective_chat.id, render(template, **params), rows)


async def edit(update: Update, template: str, rows: list[list[Button]] | None = None, **params: Any) -> None:
    """Replace the text of the message whose button was pressed (the card shows its new state)."""
    query = update.callback_query
    text, markup = render(template, **params), keyboard(rows)
    if _unchanged(query.message, text, markup):
        return  # the card already shows this: an edit would cost a send slot and earn "not modified"
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        # A second tap re-renders the same card; Telegram calls that an error, it is not one.
        if "not modified" not in str(exc).lower():
            raise


def _unchanged(message: Any, html: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Whether the pressed message already reads `html` with these buttons (compared as Telegram shows it: plain
    text, surrounding whitespace trimmed). An inaccessible or inline message is never taken as unchanged."""
    if not isinstance(message, Message) or message.text is None:
        return False
    return message.text == plain_text(html).strip() and message.reply_markup == markup


async def toast(update: Update, toast_name: str, /, **params: Any) -> None:
    """Answer a button press with a short text from templates/toasts/ (plain text, at most 200 characters)."""
    await update.callback_query.answer(plain_text(render(f"toasts/{toast_name}.j2", **params))[:200])


def guarded(handler: Handler) -> Handler:
    """Turn a UserError into a polite answer: a toast for a button, a message for text."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: ZhibuContext) -> Any:
        try:
            return await handler(update, context)
        except UserError as refusal:
            text = render(refusal.template, **refusal.params)
            if update.callback_query is not None:
                # Toasts are plain text and at most 200 characters.
                await update.callback_query.answer(plain_text(text)[:200], show_alert=True)
            elif update.effective_chat is not None:
                await send_html(context.bot, update.effective_chat.id, text)
            return None

    return wrapper


def pressed(update: Update, action: Action) -> tuple[Any, ...]:
    """The typed fields of the pressed button's data; data that is not this action's is stale (or forged)."""
    fields = action.parse(update.callback_query.data)
    if fields is None:
        raise UserError("common/stale.j2")
    return fields


def require_private(update: Update) -> None:
    """Private answers (grades, self-evaluations) are given only in the presser's own chat."""
    if update.effective_chat.type != "private":
        raise UserError("common/stale.j2")


def on_press(action: Action, callback: Handler) -> CallbackQueryHandler:
    """Register `callback` for the buttons of one action (its codec's pattern); other data falls through."""
    return CallbackQueryHandler(callback, pattern=action.pattern)
