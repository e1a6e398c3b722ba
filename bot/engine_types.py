"""The words the reminder engine and the features share: how a send went, a tick, a relevance check.

They live here, apart from both, so that the engine (bot/scheduler.py) imports no feature and the features
import no engine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.outgoing import Outgoing
from storage.outbox import OutboxRow

if TYPE_CHECKING:
    from bot.services import Services


class Delivery(StrEnum):
    SENT = "sent"
    RETRY_AFTER = "retry_after"  # 429 that outlived the rate limiter's own retries
    BLOCKED = "blocked"  # 403: the person blocked the bot or the chat is gone
    REJECTED = "rejected"  # 400: Telegram will never accept this message as it is
    TRANSIENT = "transient"  # nothing reached Telegram (refused connection, 5xx answer): worth trying again later
    # The request went out but no answer came (timed out, connection cut): the message may have arrived.
    # The drain sends such a row again at most once (bot/scheduler.py).
    UNCERTAIN = "uncertain"


@dataclass
class SendResult:
    outcome: Delivery
    message_id: int | None = None
    retry_after: float = 0.0
    error: str | None = None


Sender = Callable[[int, Outgoing], Awaitable[SendResult]]

# The kind of the outbox row being sent (notice, overview.notice …), set by the drain around each send: a sender may
# treat some kinds differently (paid broadcast for notices) without the engine knowing why.
sending_kind: ContextVar[str] = ContextVar("zhibu_sending_kind", default="")

# A feature's check, at send time, that a reminder still has a purpose (e.g. not yet checked in).
Relevance = Callable[["Services", OutboxRow, datetime], Awaitable[bool]]

# A feature's time-driven step, run at the start of every drain: create next month's theme day,
# close a finished meeting and plan its follow-ups, … Must be idempotent and cheap when there is nothing to do.
Tick = Callable[["Services", datetime], Awaitable[None]]
