"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.clock import Clock
from storage.db import Database
from storage.schema import migrate
from storage.sqlite import connect


class ManualClock(Clock):
    """A clock that moves only when the test says so."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


@pytest.fixture
def clock() -> ManualClock:
    # 10:00 in Shanghai on a Monday: outside quiet hours.
    return ManualClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A plain connection to a real SQLite file with the real migrations applied: what repositories take."""
    connection = await connect(tmp_path / "test.db")
    await migrate(connection)
    yield connection
    await connection.close()


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    """The unit of work over a real migrated SQLite file: what use cases take."""
    opened = await Database.open(tmp_path / "uow.db")
    yield opened
    await opened.close()
