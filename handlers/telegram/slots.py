"""Working slots for updates: at most N updates do work at once, and one that only waits (for its turn to send
under the rate limit) lends its slot to the next update meanwhile.

Without lending, eight updates waiting for send slots behind a reminder broadcast hold all eight slots, and a
button press cannot even be answered until one of them has sent its message.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar


class _Slot:
    """One update's hold on a working slot; knows whether it holds it, so giving back twice is harmless."""

    def __init__(self, semaphore: asyncio.Semaphore) -> None:
        self._semaphore = semaphore
        self.task = asyncio.current_task()
        self.held = False

    async def take(self) -> None:
        await self._semaphore.acquire()
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self._semaphore.release()


_current: ContextVar[_Slot | None] = ContextVar("zhibu_update_slot", default=None)


class Slots:
    def __init__(self, size: int) -> None:
        self.size = size
        self._semaphore = asyncio.Semaphore(size)

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Work on one update inside a slot (waits for a free one)."""
        slot = _Slot(self._semaphore)
        await slot.take()
        token = _current.set(slot)
        try:
            yield
        finally:
            _current.reset(token)
            slot.give_back()

    @property
    def free(self) -> int:
        return self._semaphore._value


@asynccontextmanager
async def lent() -> AsyncIterator[None]:
    """While inside, the current update's slot is free for another update; it is taken back before going on.

    Only the task that took the slot lends it: a task started from a handler (the outbox wake-up) inherits the
    context variable but not the slot."""
    slot = _current.get()
    if slot is None or not slot.held or slot.task is not asyncio.current_task():
        yield
        return
    slot.give_back()
    try:
        yield
    finally:
        await slot.take()
