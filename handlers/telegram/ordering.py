"""Updates from different chats are handled side by side; updates from one chat, strictly in order.

python-telegram-bot handles one update at a time by default, so one member's slow request (a database write,
an export) holds up everyone in the county. Fully concurrent handling would instead let two quick answers from
the same person in a form overtake each other. One lock per chat gives both: order within a conversation,
no queue across conversations.

Telegram delivers an update again (same update_id) when the bot's confirming offset did not reach it: after a
stop, a crash, or two pollers overlapping. Each update is applied once: its id is recorded in the same
transaction as its first write (storage/db.py), checked here before the handlers run, inside the chat's lock so
a duplicate queued behind its original sees the original's commit. Updates that wrote nothing are remembered in
memory only, so a redelivered /help is answered once per process.

A handling that met a write conflict (PostgreSQL: another process changed the same rows) and neither saved nor
sent anything is run again from its start — a fresh transaction that reads everything anew — at most
CONFLICT_TRIES times in all, each retry logged; the error handler (handlers/telegram/errors.py) decides, and
answers "busy" once the tries are used up. The chat's lock is held meanwhile, so its order is kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.services import updates
from handlers.telegram.slots import Slots

log = logging.getLogger(__name__)

# Measured with `zhibu bench updates`: 4–8 at once beats one at a time; beyond that httpx's connection pool and
# the single SQLite connection make more concurrency slower, not faster.
MAX_CONCURRENT_UPDATES = 8
# Update ids handled by this process, whether they wrote or not (the database keeps those that did).
RECENT_UPDATES = 10_000
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
        self._db: Any = None
        self._now: Callable[[], datetime] | None = None
        # A fresh handling of an update, for a retry (the application's process_update).
        self._again: Callable[[Any], Awaitable] | None = None
        self._recent: OrderedDict[int, None] = OrderedDict()

    def attach(self, db: Any, now: Callable[[], datetime], again: Callable[[Any], Awaitable] | None = None) -> None:
        """The database that records applied updates (open only after start-up), the clock for their time, and
        how to handle an update afresh after a write conflict (none: no retries)."""
        self._db, self._now, self._again = db, now, again

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        key = _conversation(update)
        if key is None:
            async with self.slots.held():
                await self._apply_once(update, coroutine)
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self.slots.held():
                await self._apply_once(update, coroutine)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # nobody else queued for this chat: forget its lock
                del self._waiting[key]
                del self._locks[key]

    async def _apply_once(self, update: object, coroutine: Awaitable) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is None or self._db is None:
            await coroutine
            return
        if update_id in self._recent or await updates.already_applied(self._db, update_id):
            log.info("update %s was delivered again; it was handled already, skipping it", update_id)
            coroutine.close()  # never started: closing it keeps Python from warning about it
            return
        first = [coroutine]
        try:
            await updates.again_on_conflict(lambda last: self._try(update, update_id, first, last),
                                            f"update {update_id}")
        finally:
            self._recent[update_id] = None
            if len(self._recent) > RECENT_UPDATES:
                self._recent.popitem(last=False)

    async def _try(self, update: Update, update_id: int, first: list[Awaitable], last: bool) -> None:
        """One try at the update: the coroutine PTB gave, then fresh handlings; a conflict left to a next try
        (the error handler says so in the mark) comes out here."""
        handling = first.pop() if first else self._again(update)  # type: ignore[misc]
        with updates.applying_update(update_id, self._now, may_retry=not last and self._again is not None) as mark:
            await handling
        if mark.conflict is not None:
            raise mark.conflict

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
