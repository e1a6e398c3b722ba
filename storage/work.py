"""The unit of work (`Database`) as both engines share it — a write transaction per `write()` block, joined by a
`write()` inside it — and what it keeps track of: the write transaction a task is inside of, and the Telegram update
a task is handling (recorded as applied in its first committed write). The engines are storage/db.py (SQLite, and
`open_database`, which picks the engine) and storage/pg_database.py (PostgreSQL)."""

from __future__ import annotations

import asyncio
import logging
import random
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from storage import updates
from storage.connection import Conn, Cursor, Parameters, Statement

log = logging.getLogger(__name__)
T = TypeVar("T")


class WriteConflict(Exception):
    """PostgreSQL aborted a write transaction because a concurrent one changed what it read or wrote (a
    serialization failure or a deadlock). Nothing of that transaction was committed; the use case may be run again
    as a whole. (SQLite has one writer at a time and never raises it.)"""


# A use case that met a WriteConflict runs again from its start (a fresh transaction that reads everything anew),
# at most CONFLICT_TRIES times in all. Between tries a short pause, doubled each time and jittered (×0.5–1.5) so
# that the two processes that collided do not collide again in step: ≈ 20, 40, 80 ms.
CONFLICT_TRIES = 4
CONFLICT_PAUSE = 0.02


def conflict_pause(failed_tries: int) -> float:
    """Seconds to wait after the `failed_tries`-th try met a conflict."""
    return CONFLICT_PAUSE * (1 << (failed_tries - 1)) * random.uniform(0.5, 1.5)


async def again_on_conflict(run: Callable[[bool], Awaitable[T]], what: str, tries: int = CONFLICT_TRIES) -> T:
    """`run(last)` until a try ends without a WriteConflict, at most `tries` times, each retry logged; the last
    try's WriteConflict comes out. `last` tells the try whether another follows it (a try that cannot be repeated
    safely — it already reached the person — says so by not raising; see handlers/telegram/errors.py).

    Only for a use case that can be repeated as a whole: nothing it did before the conflict outlives the rolled
    back transaction (its messages go through the outbox, in that transaction)."""
    tried = 1
    while True:
        try:
            return await run(tried >= tries)
        except WriteConflict as exc:
            if tried >= tries:
                log.warning("%s: write conflict on try %d of %d, giving up: %s", what, tried, tries, exc)
                raise
            pause = conflict_pause(tried)
            log.warning("%s: write conflict on try %d of %d (%s); running it again from its start in %.0f ms",
                        what, tried, tries, exc, pause * 1000)
            await asyncio.sleep(pause)
            tried += 1


@dataclass(eq=False)
class UpdateMark:
    """The Telegram update the running task handles: its id goes into the applied_updates table inside the
    update's first write transaction, and `committed` tells the error handler that a change was saved."""

    update_id: int
    now: Callable[[], datetime]
    task: asyncio.Task[Any] | None = field(default_factory=asyncio.current_task)
    committed: bool = False
    # Whether a try that meets a WriteConflict may leave it to a next try (the update processor's retry)…
    may_retry: bool = False
    # …and the conflict it left, if so: the handling is run again from its start.
    conflict: WriteConflict | None = None
    # Whether the handling has asked Telegram to change something (a message sent, edited, a press answered):
    # a handling that has cannot be repeated without the person seeing it twice.
    reached_telegram: bool = False

    def repeatable(self) -> bool:
        """Whether a WriteConflict now can be left to a next try: one is allowed, nothing was saved, nothing sent."""
        return self.may_retry and not self.committed and not self.reached_telegram


# Set by the update processor around one update's handling. Tasks started inside (an outbox wake, say) copy the
# context but are other tasks: `current_update` ignores the mark there, so their writes do not claim the update.
_update_mark: ContextVar[UpdateMark | None] = ContextVar("zhibu_update", default=None)


@contextmanager
def applying_update(update_id: int, now: Callable[[], datetime], *, may_retry: bool = False) -> Iterator[UpdateMark]:
    """Within the block, this task's first committed write transaction records `update_id` as applied."""
    mark = UpdateMark(update_id, now, may_retry=may_retry)
    token = _update_mark.set(mark)
    try:
        yield mark
    finally:
        _update_mark.reset(token)


def current_update() -> UpdateMark | None:
    """The update this very task is handling, if any."""
    mark = _update_mark.get()
    if mark is None or mark.task is not asyncio.current_task():
        return None
    return mark


def reaching_telegram() -> None:
    """The running task is about to ask Telegram to change something: its update's handling cannot be repeated."""
    mark = current_update()
    if mark is not None:
        mark.reached_telegram = True


# The write transaction the running task is inside of, if any (storage.db). Tasks copy their context when created,
# so only the task that opened a unit of work (and tasks it starts inside it) reads through it.
@dataclass(eq=False)
class OpenWrite:
    database: object
    conn: Any
    open: bool = True


unit_of_work: ContextVar[OpenWrite | None] = ContextVar("zhibu_unit_of_work", default=None)


class Database(ABC):
    """The unit of work every use case goes through; the one place that knows the driver.

    `write()`: one write transaction, committed when the block ends, rolled back when it raises; a `write()` inside
    another joins it. Reads outside a write see committed data only — never the open transaction of another use
    case; reads inside a write (through the Database or the block's connection) see that unit of work's own
    changes. `read()` gives a consistent snapshot for several queries; `scratch()` a writable view of committed
    data whose changes are thrown away.
    """

    engine: str
    # Where the data is: the SQLite file's path, or the PostgreSQL URL.
    path: Path | str

    def _open_write(self) -> OpenWrite | None:
        unit = unit_of_work.get()
        return unit if unit is not None and unit.open and unit.database is self else None

    @abstractmethod
    def execute(self, sql: str, parameters: Parameters = ()) -> Statement[Cursor]:
        """A read: of committed data, or inside this task's `write()` of that unit of work's state."""

    @abstractmethod
    def executemany(self, sql: str, parameters: Iterable[Parameters]) -> Statement[Cursor]:
        """A batch of one statement, inside this task's `write()` (outside one it fails loudly)."""

    @abstractmethod
    def _transaction(self, row_locks: bool = False) -> AbstractAsyncContextManager[Conn]:
        """Begin a write transaction and give its connection; commit when the block ends, roll back when it raises.
        A conflict the engine reports (statement or commit) comes out as WriteConflict."""

    @asynccontextmanager
    async def write(self, *, row_locks: bool = False) -> AsyncIterator[Conn]:
        """One write transaction: everything in the block commits together, or nothing does. On PostgreSQL it is
        SERIALIZABLE, and a conflict with a concurrent one comes out as WriteConflict (nothing committed).

        `row_locks`: the block's statements are made safe by row locks and fences of their own (the outbox's
        claim, its fenced finish, the lease reaper), so on PostgreSQL it runs READ COMMITTED: concurrent claims
        pass over each other's rows instead of failing as serialization conflicts. SQLite has one writer anyway."""
        joined = self._open_write()
        if joined is not None:  # a step of a larger use case: part of its unit of work
            yield joined.conn
            return
        update = current_update()
        async with self._transaction(row_locks) as conn:
            unit = OpenWrite(self, conn)
            token = unit_of_work.set(unit)
            try:
                if update is not None and not update.committed:  # the change and "applied" commit together
                    await updates.record(conn, update.update_id, update.now())
                yield conn
            finally:
                unit.open = False
                unit_of_work.reset(token)
        if update is not None:
            update.committed = True

    @abstractmethod
    def read(self) -> AbstractAsyncContextManager[Conn]:
        """A consistent snapshot of committed data for several queries; inside a write, that unit of work's state."""

    @abstractmethod
    def scratch(self) -> AbstractAsyncContextManager[Conn]:
        """A private writable view of the committed data whose changes are discarded when the block ends: a dry
        run of a large use case (a roster import's preview) runs the very statements the real run would, without
        holding up the live writers."""

    @abstractmethod
    async def close(self) -> None: ...


class Leadership:
    """Whether this process leads the bot, asked again (`try_lead`) as often as the caller likes: the engines'
    ways are storage/leadership.py (SQLite) and storage/pg_database.py (PostgreSQL)."""

    leads: bool = False
    # Whether this process is proven the only one on the database (SQLite's lock file): at its start, the rows
    # any holder left mid-send belong to a process that ended and can be released at once.
    sole: bool = False
    # Called in the leader when another process queued messages to send at once (`nudge`).
    on_nudge: Callable[[], object] = staticmethod(lambda: None)

    async def nudge(self) -> None:
        """A process that does not lead queued messages to send at once: the leader hears of it (PostgreSQL's
        NOTIFY, read at its next check: within seconds) instead of at its next drain. (SQLite: always the leader.)"""

    async def try_lead(self) -> bool:
        """Become the leader if nobody is, or check that this process still is one; says which."""
        raise NotImplementedError

    async def close(self) -> None:
        """Step down (the next process that asks leads)."""
