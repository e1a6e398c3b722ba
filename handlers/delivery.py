"""The reminder engine's way out: send one outbox message and classify what Telegram said."""

from __future__ import annotations

import logging

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.outgoing import Outgoing
from bot.render import render
from bot.scheduler import Delivery, Sender, SendResult
from handlers.common import send_html

log = logging.getLogger(__name__)


def make_sender(bot: object) -> Sender:
    async def send(chat_id: int, message: Outgoing) -> SendResult:
        try:
            sent = await send_html(bot, chat_id, render(message.template, **message.params), message.buttons)
        except RetryAfter as exc:
            seconds = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            return SendResult(Delivery.RETRY_AFTER, retry_after=float(seconds), error=str(exc))
        except Forbidden as exc:
            return SendResult(Delivery.BLOCKED, error=str(exc))
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                return SendResult(Delivery.BLOCKED, error=str(exc))
            return SendResult(Delivery.REJECTED, error=str(exc))
        except (TimedOut, NetworkError) as exc:
            return SendResult(Delivery.TRANSIENT, error=str(exc))
        except TelegramError as exc:
            return SendResult(Delivery.TRANSIENT, error=str(exc))
        return SendResult(Delivery.SENT, message_id=sent.message_id)

    return send
