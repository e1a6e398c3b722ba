"""PTB's AIORateLimiter, adjusted so that the bot never bursts past Telegram's limits and a person waiting for an
answer never queues behind the reminder engine's bulk sends.

- Messages leave evenly spaced (1/30 s apart; 3 s apart into one group) instead of in the stock limiter's bursts of
  a whole second's worth, which reach Telegram with network jitter as slightly more than 30 in a second.
- After a 429 a request waits out the pause before it takes a slot, so the pause does not end in the next burst.
- Two lanes share the overall pace: interactive sends (replies to updates) take the next free slot before any bulk
  send (the outbox drain, marked through `bulk_sends`). The outbox can wait a second; a person can't.
- Answers to button presses (answerCallbackQuery) do not count toward Telegram's message limit and go at once.
- While a reply waits for its slot, its update lends its working slot to the next update (slots.py).
- Every request passes here, so here an update's handling learns that it reached Telegram (anything but a
  get…): from then on a write conflict cannot be answered by running the handling again (ordering.py).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from telegram.ext import AIORateLimiter

from bot.services.updates import reaching_telegram
from handlers.telegram.slots import lent

GROUP_PER_MINUTE = 20
# Methods Telegram does not count toward the message limit; pacing them would only delay the toast.
NOT_COUNTED = frozenset({"answerCallbackQuery", "answerInlineQuery", "getUpdates", "getMe", "getFile"})

_bulk: ContextVar[bool] = ContextVar("zhibu_bulk_send", default=False)

T = TypeVar("T")


def bulk_sends(send: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """Mark every request `send` makes as bulk: it yields its turn to anyone a person is waiting for."""

    async def marked(*args: Any, **kwargs: Any) -> T:
        token = _bulk.set(True)
        try:
            return await send(*args, **kwargs)
        finally:
            _bulk.reset(token)

    return marked


class Pace:
    """Send slots 1/rate apart, handed out first to interactive waiters, then to bulk ones (each lane in order)."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1 / per_second
        self._next = 0.0  # loop time from which the next slot is free
        self._lanes: tuple[deque[asyncio.Future], deque[asyncio.Future]] = (deque(), deque())  # interactive, bulk
        self._timer: asyncio.TimerHandle | None = None

    def _waiting(self) -> bool:
        return any(self._lanes)  # a cancelled waiter still counts until its turn comes; it only costs one interval

    async def turn(self, bulk: bool) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        if now >= self._next and not self._waiting():
            self._next = now + self.interval
            return
        future = loop.create_future()
        self._lanes[bulk].append(future)
        self._arm(loop)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # the slot was ours: the next waiter may have it
                self._next = loop.time()
                self._arm(loop)
            raise

    def _arm(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._timer is None:
            self._timer = loop.call_at(max(self._next, loop.time()), self._release, loop)

    def _release(self, loop: asyncio.AbstractEventLoop) -> None:
        self._timer = None
        for lane in self._lanes:
            while lane:
                future = lane.popleft()
                if not future.done():
                    future.set_result(None)
                    self._next = loop.time() + self.interval
                    if self._waiting():
                        self._arm(loop)
                    return
        # nobody was waiting any more: the slot stays free for the next comer


class SteadyRateLimiter(AIORateLimiter):
    def __init__(self, per_second: float, max_retries: int = 3, group_per_minute: float = GROUP_PER_MINUTE) -> None:
        # The overall pace is ours (two lanes); the stock limiter keeps the per-group limit and the 429 retries.
        super().__init__(overall_max_rate=0, group_max_rate=1, group_time_period=60 / group_per_minute,
                         max_retries=max_retries)
        self._pace = Pace(per_second) if per_second > 0 else None

    async def process_request(self, callback: Any, args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: Any) -> Any:
        if not endpoint.startswith("get"):
            reaching_telegram()
        if endpoint in NOT_COUNTED:
            return await callback(*args, **kwargs)
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)

    async def _run_request(self, chat: bool, group: Any, allow_paid_broadcast: bool, callback: Any, args: Any,
                           kwargs: dict[str, Any]) -> Any:
        if allow_paid_broadcast or not chat:
            return await super()._run_request(chat, group, allow_paid_broadcast, callback, args, kwargs)
        async with lent():  # waiting for a slot is not work: another update may use ours meanwhile
            await self._retry_after_event.wait()
            if group and self._group_max_rate:
                await self._get_group_limiter(group).acquire()
            if self._pace is not None:
                await self._pace.turn(_bulk.get())
            return await callback(*args, **kwargs)
