"""Scratch copies of the database: a private writable copy of the committed data for a dry run (a roster import's
preview), so the dry run never takes the live database's writer — members' taps and approvals go on while it works.

The copy is made with SQLite's online backup API from a connection of its own, in one step: one consistent snapshot
of committed data, read while writers carry on (WAL). It lives in a temporary file beside the database (0600,
removed afterwards even on error), so memory stays bounded by SQLite's page cache however large the database has
grown; one a killed process left behind is removed at the next start once it is old.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)
Opener = Callable[[Path], Awaitable[aiosqlite.Connection]]


@asynccontextmanager
async def copy_of(live: Path, open_source: Opener) -> AsyncIterator[aiosqlite.Connection]:
    """A writable copy of `live`'s committed data inside one open transaction; the file is gone after the block.
    `open_source` opens `live` read-only the way the bot does (storage/db.py passes its own `connect`)."""
    fd, name = tempfile.mkstemp(prefix=f".{live.name}-scratch-", suffix=".db", dir=live.parent)  # 0600
    os.close(fd)
    copy_path = Path(name)
    try:
        copy = await _scratch_copy(live, copy_path, open_source)
        try:
            await copy.execute("BEGIN IMMEDIATE")
            yield copy
        finally:
            await copy.close()
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            copy_path.with_name(copy_path.name + suffix).unlink(missing_ok=True)


SCRATCH_STALE_SECONDS = 3600  # a preview takes seconds; a scratch copy this old was left by a killed process


def remove_stale(live: Path) -> None:
    """Scratch copies (see `copy_of`) a killed process left beside the database: private data that no one
    will read again. Only old ones: another process (a `zhibu import` preview) may be using a fresh one now."""
    cutoff = time.time() - SCRATCH_STALE_SECONDS
    for leftover in live.parent.glob(f".{live.name}-scratch-*.db*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
                log.info("removed %s, a scratch copy left by an interrupted preview", leftover.name)
        except OSError:
            pass


async def _scratch_copy(live: Path, target: Path, open_source: Opener) -> aiosqlite.Connection:
    """`target` made a copy of the live database's committed data, and a connection to it as the bot's own
    (foreign keys on, rows by name), so statements behave there exactly as on the live database."""
    source = await open_source(live)  # its own: the copy ties up none of the bot's connections
    try:
        copy = await aiosqlite.connect(str(target), isolation_level=None)
        try:
            await source.backup(copy, pages=-1)  # -1: the whole database in one step, hence one snapshot
            copy.row_factory = aiosqlite.Row
            # The copy's header says WAL, as the live file's does; a throwaway copy needs no -wal file nor a
            # durable journal: its changes are rolled back in memory, or lost with it.
            await copy.execute("PRAGMA journal_mode=MEMORY")
            await copy.execute("PRAGMA synchronous=OFF")
            await copy.execute("PRAGMA foreign_keys=ON")
        except BaseException:
            await copy.close()
            raise
    finally:
        await source.close()
    return copy
