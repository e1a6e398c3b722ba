"""Which process leads a bot: it runs the ticks and the outbox's sender (Telegram's 30 msg/s is per bot) and, with
long polling, it alone polls (Telegram answers a second getUpdates with 409 Conflict).

- PostgreSQL (storage/pg_database.py's PgLeadership): a session advisory lock, held on a connection of its own for
  as long as the process lives. When the leader dies its connection closes and the server releases the lock; the
  next process that asks gets it.
- SQLite: one process per file. An exclusive lock on a file beside the database (`zhibu.db.lock`), released by the
  kernel when the process ends however it ends; a second process on the same file is refused at start. Holding
  it proves the process alone on the database (`sole`): at start, rows a crashed process left mid-send are
  released at once instead of after their lease.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from storage.db import is_postgresql
from storage.work import Leadership

__all__ = ["AnotherProcessRuns", "Leadership", "SqliteLeadership", "leadership_for"]

log = logging.getLogger(__name__)

class AnotherProcessRuns(Exception):
    """An SQLite database already has its process."""


class SqliteLeadership(Leadership):
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    async def try_lead(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AnotherProcessRuns(
                f"another zhibu process is running on {self.path.with_suffix('')}; an SQLite database serves one "
                "process (for several, use PostgreSQL: ZHIBU_DB=postgresql://…)") from None
        self._fd = fd
        self.leads = self.sole = True
        return True

    async def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # the lock goes with the descriptor; the file stays (removing it would race)
            self._fd = None
        self.leads = self.sole = False


def leadership_for(target: Path | str) -> Leadership:
    """The leadership of the bot on ZHIBU_DB `target` (a PostgreSQL URL, or an SQLite file's path)."""
    if is_postgresql(target):
        from storage.pg_database import PgLeadership  # psycopg only in a process on PostgreSQL

        return PgLeadership(str(target))
    return SqliteLeadership(Path(target))
