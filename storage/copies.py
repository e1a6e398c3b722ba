"""Copies of the database: a backup a secretary keeps (`zhibu backup`), and scratch copies for dry runs.

Both are made with SQLite's online backup API, so each is one consistent snapshot of committed data, read while
writers carry on (WAL), and both are private files (0600).

A scratch copy is a private writable copy of the committed data for a dry run (a roster import's preview), so the dry
run never takes the live database's writer — members' taps and approvals go on while it works. It lives in a
temporary file beside the database (removed afterwards even on error), so memory stays bounded by SQLite's page cache
however large the database has grown; one a killed process left behind is removed at the next start once it is old.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.sqlite import PRIVATE_FILE, SQLITE_HEADER, connect, private_file, tighten

log = logging.getLogger(__name__)


class BackupRefused(ValueError):
    """The target of a backup would destroy something: the live database, or a file that is not a database."""


def _check_backup_target(source: Path, target: Path) -> None:
    if target.is_dir():
        raise BackupRefused(f"{target} is a directory; give the path of the copy to write")
    if not target.exists():
        return
    if source.exists() and target.samefile(source):
        raise BackupRefused(f"{target} is the live database itself; choose another path")
    with target.open("rb") as existing:
        header = existing.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise BackupRefused(f"{target} exists and is not an SQLite database; refusing to overwrite it")


def backup(source: Path | str, target: Path | str) -> None:
    """Copy the database with SQLite's online backup API: consistent even while the bot writes.

    The copy is 0600 (its folder 0700 when created here). BackupRefused when the target is the live database
    or an existing file that is not a database: a typo must not destroy either."""
    source, target = Path(source), Path(target)
    _check_backup_target(source, target)
    private_file(target)
    os.chmod(target, PRIVATE_FILE)  # an older copy being replaced may have been readable by others
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    for suffix in ("-wal", "-shm", "-journal"):
        tighten(target.with_name(target.name + suffix))


@asynccontextmanager
async def copy_of(live: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A writable copy of `live`'s committed data inside one open transaction; the file is gone after the block."""
    fd, name = tempfile.mkstemp(prefix=f".{live.name}-scratch-", suffix=".db", dir=live.parent)  # 0600
    os.close(fd)
    copy_path = Path(name)
    try:
        copy = await _scratch_copy(live, copy_path)
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


async def _scratch_copy(live: Path, target: Path) -> aiosqlite.Connection:
    """`target` made a copy of the live database's committed data, and a connection to it as the bot's own
    (foreign keys on, rows by name), so statements behave there exactly as on the live database."""
    source = await connect(live, read_only=True)  # its own: the copy ties up none of the bot's connections
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
