"""Updates from different chats are handled side by side; updates from one chat, strictly in order.

python-telegram-bot handles one update at a time by default, so one member's slow request (a database write,
an export) holds up everyone in the county. Fully concurrent handling would instead let two quick answers from
the same person in a form overtake each other. One lock per chat gives both: order within a conversation,
no queue across conversations.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from handlers.telegram.slots import Slots

# Measured with `zhibu bench updates`: 4–8 at once beats one at a time; beyond that httpx's connection pool and
# the single SQLite connection make more concurrency slower, not faster.
MAX_CONCURRENT_UPDATES = 8
# PTB's own gate is opened wide: an update waiting for its chat's turn, or for a send slot, holds no working slot
# (handlers/telegram/slots.py); only updates doing work count against MAX_CONCURRENT_UPDATES.
_UPDATES_IN_FLIGHT = 4096


def _conversation(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


class PerChatOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(_UPDATES_IN_FLIGHT)
        self.slots = Slots(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        key = _conversation(update)
        if key is None:
            async with self.slots.held():
                await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self.slots.held():
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this chat: forget its lock
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
