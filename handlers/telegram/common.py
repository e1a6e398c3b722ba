"""Shared pieces of the Telegram adapters: keyboards, replies, and turning refusals into answers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.callbacks import Action
from bot.context import ZhibuContext
from bot.errors import UserError
from bot.outgoing import Button
from bot.render import button_label, plain_text, render
from bot.textsplit import split_message

log = logging.getLogger(__name__)

Handler = Callable[[Update, ZhibuContext], Awaitable[Any]]


def keyboard(rows: list[list[Button]] | None) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(button_label(b), callback_data=b.data, url=b.url) for b in row]
            for row in rows
            if row
        ]
    )


# What a reply may carry: inline buttons, or a reply keyboard under the input field (or its removal).
Markup = list[list[Button]] | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def _markup(rows: Markup) -> Any:
    if isinstance(rows, (ReplyKeyboardMarkup, ReplyKeyboardRemove)):
        return rows
    return keyboard(rows)


async def send_html(bot: Any, chat_id: int, text: str, rows: Markup = None, *, paid: bool = False) -> Message:
    """Send rendered HTML, split at Telegram's limit; the buttons (or reply keyboard) ride on the last part.
    `paid`: with allow_paid_broadcast (past the free 30 a second, for a fee)."""
    parts = split_message(text)
    message = None
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        message = await bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=_markup(rows) if last else None,
            link_preview_options=None, allow_paid_broadcast=True if paid else None,
        )
    assert message is not None
    return message


async def reply(update: Update, context: ZhibuContext, template: str, rows: Markup = None,
                **params: Any) -> Message:
    """Answer in the chat the update came from."""
    return await send_html(context.bot, update.effective_chat.id, render(template, **params), rows)


# What Telegram says when the message under a pressed button can no longer be edited: deleted, too old, or shown
# to the bot only as an "inaccessible message" stub.
_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid",
         "there is no text in the message to edit")


def _not_modified(exc: BadRequest) -> bool:
    # A second tap re-renders the same card (or drops buttons already gone); Telegram calls that an error, it is not.
    return "not modified" in str(exc).lower()


def _gone(exc: BadRequest) -> bool:
    return any(words in str(exc).lower() for words in _GONE)


async def edit(update: Update, template: str, rows: list[list[Button]] | None = None, **params: Any) -> None:
    """Replace the text of the message whose button was pressed (the card shows its new state); when that message
    has vanished, the new state comes as a new message instead."""
    query = update.callback_query
    text, markup = render(template, **params), keyboard(rows)
    if _unchanged(query.message, text, markup):
        return  # the card already shows this: an edit would cost a send slot and earn "not modified"
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if _not_modified(exc):
            return
        if not _gone(exc):
            raise
        log.info("the pressed message is gone (%s); sending the new state anew", exc)
        await send_html(update.get_bot(), update.effective_chat.id, text, rows)


async def edit_html(bot: Any, chat_id: int, message_id: int, text: str, rows: list[list[Button]] | None = None) -> None:
    """Replace the text of an earlier message the bot sent (another approver's copy of a card). Already showing
    this text, deleted or too old to edit: nothing more to do, and no error — the edit only keeps a copy current."""
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
                                    reply_markup=keyboard(rows))
    except BadRequest as exc:
        if not (_not_modified(exc) or _gone(exc)):
            raise
        log.info("card %s in chat %s not edited: %s", message_id, chat_id, exc)


async def drop_buttons(update: Update) -> None:
    """Take the buttons off the pressed message; already gone (a second tap) or a vanished message is no error."""
    try:
        await update.callback_query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if not (_not_modified(exc) or _gone(exc)):
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


def _inline(update: Update) -> bool:
    """A button under a message sent in inline mode: the query has an inline_message_id and no chat to answer in.
    zhibu sends no such messages, so such a press is forged or foreign."""
    query = update.callback_query
    return query is not None and query.message is None


def guarded(handler: Handler) -> Handler:
    """Turn a UserError into a polite answer: a toast for a button, a message for text. A press with no chat behind
    it (an inline-mode message) is answered politely once, before any handler looks for the chat. A press in a
    group is stale by definition: no message the bot posts to a group carries a button, so its data was forged
    onto one — and no handler may answer it by editing a member's private card into the group."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: ZhibuContext) -> Any:
        if _inline(update):
            await update.callback_query.answer(plain_text(render("common/inline.j2"))[:200], show_alert=True)
            return None
        if update.callback_query is not None and update.effective_chat.type != "private":
            await update.callback_query.answer(plain_text(render("common/stale.j2"))[:200], show_alert=True)
            return None
        try:
            return await handler(update, context)
        except UserError as refusal:
            await _refuse(update, context, render(refusal.template, **refusal.params))
            return None

    return wrapper


async def _refuse(update: Update, context: ZhibuContext, text: str) -> None:
    """The refusal as an alert on the pressed button (plain text, at most 200 characters), else as a message."""
    query = update.callback_query
    if query is not None:
        try:
            await query.answer(plain_text(text)[:200], show_alert=True)
            return
        except BadRequest as exc:
            # Telegram takes one answer a tap: the handler had acknowledged it before the refusal came (or the
            # answer is too late). Say it in the private chat instead; a group does not hear one person's refusal.
            if "query is too old" not in str(exc).lower():
                raise
        if update.effective_chat is None or update.effective_chat.type != "private":
            return
    if update.effective_chat is not None:
        await send_html(context.bot, update.effective_chat.id, text)


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
