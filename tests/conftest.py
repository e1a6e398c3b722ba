"""Fixtures shared by every test layer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from storage.db import Database
from storage.schema import migrate
from storage.sqlite import connect
from tests.support import LayerTimes, ManualClock, fresh_database, migrated_template


@pytest.fixture
def clock() -> ManualClock:
    # 10:00 in Shanghai on a Monday: outside quiet hours.
    return ManualClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the real migrations applied, made once: each test's database starts as a copy."""
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
async def db(tmp_path: Path, migrated: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A plain connection to a real SQLite file with the real migrations applied: what repositories take."""
    connection = await connect(fresh_database(migrated, tmp_path / "test.db"))
    await migrate(connection)  # nothing left to apply: the copy is up to date
    yield connection
    await connection.close()


@pytest.fixture
async def database(tmp_path: Path, migrated: Path) -> AsyncIterator[Database]:
    """The unit of work over a real migrated SQLite file: what use cases take."""
    opened = await Database.open(fresh_database(migrated, tmp_path / "uow.db"))
    yield opened
    await opened.close()



def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--layer-times", action="store_true",
                     help="print each test layer's time (the sum of its tests' setup, call and teardown)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--layer-times"):
        config.pluginmanager.register(LayerTimes(), "layer-times")
