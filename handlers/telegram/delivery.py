"""The reminder engine's way out: send one outbox message and classify what Telegram said.

A send that got no answer is not a send that failed: Telegram may have delivered the message and only the
answer was slow or cut off. Only errors that prove nothing went out (the connection was never made, no pool
slot, or Telegram answered with an error) are plain TRANSIENT; the rest is UNCERTAIN, which the drain repeats
at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from io import BytesIO

import httpx
from telegram import InputFile, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.engine_types import sending_kind
from bot.outgoing import Outgoing
from bot.render import plain_text, render
from bot.scheduler import Delivery, Sender, SendResult
from handlers.telegram import aiohttp_request
from handlers.telegram.common import edit_html, send_html

log = logging.getLogger(__name__)


# A file zhibu built and keeps itself (a filing digest's records), by the id its Attachment(kind="stored") carries.
StoredFile = Callable[[str], Awaitable[tuple[str, bytes] | None]]


# Told the poll id of a quiz poll that went out (its QuizPoll.ref, Telegram's poll id): answers come by poll id.
Polled = Callable[[str, str], Awaitable[None]]


def make_sender(bot: object, stored: StoredFile | None = None, polled: Polled | None = None,
                paid_kinds: frozenset[str] = frozenset()) -> Sender:
    """The outbox's sender; rows of `paid_kinds` (ZHIBU_PAID_BROADCAST: the notices) go with allow_paid_broadcast."""
    async def send(chat_id: int, message: Outgoing) -> SendResult:
        try:
            if message.poll is not None or message.edit_message_id is not None:
                return await _poll_or_edit(bot, chat_id, message, polled)
            text = render(message.template, **message.params)
            await send_attachments(bot, chat_id, message, stored)
            sent = await send_html(bot, chat_id, text, message.buttons, paid=sending_kind.get() in paid_kinds)
        except RetryAfter as exc:
            return SendResult(Delivery.RETRY_AFTER, retry_after=exc.retry_after.total_seconds(), error=str(exc))
        except Forbidden as exc:
            return SendResult(Delivery.BLOCKED, error=str(exc))
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return SendResult(Delivery.BLOCKED, error=str(exc))
            return SendResult(Delivery.REJECTED, error=str(exc))
        except (TimedOut, NetworkError) as exc:
            return SendResult(network_outcome(exc), error=str(exc) or type(exc).__name__)
        except TelegramError as exc:
            return SendResult(Delivery.TRANSIENT, error=str(exc))
        return SendResult(Delivery.SENT, message_id=sent.message_id)

    return send


async def _poll_or_edit(bot: object, chat_id: int, message: Outgoing, polled: Polled | None) -> SendResult:
    """A quiz poll, or the new text of an earlier message (a review card another approver decided)."""
    if message.poll is not None:
        return await send_quiz(bot, chat_id, message, polled)
    assert message.edit_message_id is not None
    await edit_html(bot, chat_id, message.edit_message_id, render(message.template, **message.params), message.buttons)
    return SendResult(Delivery.SENT, message_id=message.edit_message_id)


async def send_quiz(bot: object, chat_id: int, message: Outgoing, polled: Polled | None) -> SendResult:
    """A quiz poll, not anonymous (answers come as poll_answer with who answered); its question is plain text (a
    poll's question takes no HTML). Bot API 9.6 replaced correct_option_id by correct_option_ids (PTB 22.8 warns
    on the old one)."""
    poll = message.poll
    assert poll is not None
    question = plain_text(render(message.template, **message.params)).strip()
    sent = await bot.send_poll(chat_id, question, poll.options, is_anonymous=False, type="quiz",
                               correct_option_ids=[poll.correct], explanation=poll.explanation or None)
    if polled is not None and sent.poll is not None:
        await polled(poll.ref, sent.poll.id)
    return SendResult(Delivery.SENT, message_id=sent.message_id)


# Errors raised before the request could leave (httpx's, and aiohttp's when ZHIBU_HTTP_CLIENT=aiohttp): Telegram
# cannot have seen it.
NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, *aiohttp_request.NOTHING_SENT)


def network_outcome(exc: NetworkError) -> Delivery:
    """TRANSIENT when the request surely did not reach Telegram, UNCERTAIN when it may have (PTB raises TimedOut
    or NetworkError from the HTTP client's error; a 5xx answer is a NetworkError with no httpx error behind it)."""
    cause = exc.__cause__
    if cause is None or isinstance(cause, NOTHING_SENT):
        return Delivery.TRANSIENT
    return Delivery.UNCERTAIN


async def send_attachments(bot: object, chat_id: int, message: Outgoing, stored: StoredFile | None = None) -> None:
    """Photos as albums of up to 10 (Telegram's limit), each captioned with whose they are (the message's
    album_template), documents one by one (files zhibu keeps itself too); the text follows them."""
    photos = [a.file_id for a in message.attachments if a.kind == "photo"]
    caption = render(message.album_template, **message.params) if message.album_template else None
    for start in range(0, len(photos), 10):
        album = photos[start : start + 10]
        if len(album) == 1:
            await bot.send_photo(chat_id, album[0], caption=caption, parse_mode=ParseMode.HTML)
        else:
            # Telegram shows an album's caption when exactly one of its items has one: the first.
            await bot.send_media_group(chat_id, [InputMediaPhoto(f, caption=caption if i == 0 else None,
                                                                 parse_mode=ParseMode.HTML)
                                                 for i, f in enumerate(album)])
    for attachment in message.attachments:
        if attachment.kind == "document":
            await bot.send_document(chat_id, attachment.file_id)
        elif attachment.kind == "stored" and stored is not None:
            found = await stored(attachment.file_id)
            if found is not None:  # a file gone from the database is left out, the message still goes
                await bot.send_document(chat_id, InputFile(BytesIO(found[1]), filename=found[0]))
