"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.bench import pg_server
from bot.clock import Clock
from storage import postgresql
from storage.db import Database, open_database
from storage.schema import migrate
from storage.sqlite import connect

ENGINES = ("sqlite", "postgresql")
# What a constraint violation raises, on either engine.
INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
# What a write outside a write transaction raises: the connection is query-only / the transaction read-only.
READ_ONLY_ERRORS = (sqlite3.OperationalError, psycopg.errors.ReadOnlySqlTransaction)


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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked sqlite_only (it is about SQLite's file: its pragmas, permissions, copies) runs on SQLite only."""
    keep, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        engine = params.params.get("engine") if params is not None else None
        (dropped if engine == "postgresql" and item.get_closest_marker("sqlite_only") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture
def engine() -> str:
    """The storage engine under test: SQLite here; the storage, services and property layers run both
    (their conftest parametrizes this fixture)."""
    return "sqlite"


@pytest.fixture(scope="session")
def pg_server_running() -> Iterator[pg_server.Server]:
    """A private PostgreSQL server for the session (bot/bench/pg_server.py). Without one installed the PostgreSQL
    tests are skipped — unless ZHIBU_TEST_POSTGRESQL=required (scripts/test.sh installs it and says so)."""
    reason = pg_server.unavailable()
    if reason is not None:
        if os.environ.get("ZHIBU_TEST_POSTGRESQL") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    server = pg_server.start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_shared(pg_server_running: pg_server.Server) -> Iterator[pg_server.Resettable]:
    """The one migrated database the PostgreSQL tests share, emptied before each."""
    shared = pg_server.Resettable(pg_server_running.create("zhibu_test"))
    yield shared
    shared.close()


@pytest.fixture
def target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where the test's data lives: a fresh SQLite file, or the shared PostgreSQL database, emptied."""
    if engine == "sqlite":
        return tmp_path / "uow.db"
    shared: pg_server.Resettable = request.getfixturevalue("pg_shared")
    shared.reset()
    return shared.url


@pytest.fixture
async def db(engine: str, target: Path | str, tmp_path: Path) -> AsyncIterator[Any]:
    """A plain connection to a real database with the real migrations applied: what repositories take."""
    if engine == "postgresql":
        pg = await postgresql.connect(str(target))
        yield pg
        await pg.close()
        return
    connection = await connect(tmp_path / "test.db")
    await migrate(connection)
    yield connection
    await connection.close()


@pytest.fixture
async def database(target: Path | str) -> AsyncIterator[Database]:
    """The unit of work over a real migrated database: what use cases take."""
    opened = await open_database(target)
    yield opened
    await opened.close()
