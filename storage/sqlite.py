"""The SQLite file: opening it the way zhibu runs it, and keeping it (and what SQLite makes beside it) private."""

from __future__ import annotations

import os
from pathlib import Path

import aiosqlite

from storage import driver

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SQLITE_HEADER = b"SQLite format 3\x00"


def private_dir(folder: Path) -> None:
    """Create the folder (and missing parents) readable by zhibu's user only; existing folders are left alone."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir()
        except FileExistsError:
            continue
        os.chmod(created, PRIVATE_DIR)  # explicit: mkdir's mode is filtered by the umask


def private_file(path: Path) -> None:
    """Create the file 0600 before SQLite does (SQLite would use 0644 less the umask): members' data stays
    unreadable to other users of the machine. An existing file keeps its mode."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def tighten(path: Path) -> None:
    """0600 on a file SQLite made beside the database (-wal, -shm), if it is there and lets others in."""
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, PRIVATE_FILE)
    except FileNotFoundError:
        pass


async def connect(path: Path | str, *, read_only: bool = False) -> aiosqlite.Connection:
    """Open the database with WAL, foreign keys and a busy timeout (the CLI may write while the bot runs)."""
    path = Path(path)
    private_file(path)
    # One thread hop per statement; reads (WAL readers never wait for a lock) run on the event loop itself.
    db = await driver.connect(path, isolation_level=None, inline=read_only)
    db.row_factory = aiosqlite.Row
    if read_only:
        # Reads never write: a statement that tries is a bug, and fails loudly here.
        await db.execute("PRAGMA query_only=ON")
    else:
        await db.execute("PRAGMA journal_mode=WAL")
    await db.execute("PRAGMA foreign_keys=ON")
    await db.execute("PRAGMA busy_timeout=5000")
    # WAL makes NORMAL durable across application crashes; only an OS crash can lose the last commit.
    await db.execute("PRAGMA synchronous=NORMAL")
    for suffix in ("-wal", "-shm"):
        tighten(path.with_name(path.name + suffix))
    return db
