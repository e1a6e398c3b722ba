"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
import pytest

from bot.bench import pg_server
from bot.render import environment
from storage import postgresql
from storage.db import Database, open_database
from storage.schema import migrate
from storage.sqlite import connect
from tests.support import LayerTimes, ManualClock, fresh_database, fresh_target, migrated_template, shared_pg_server

WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, … in a pytest-xdist worker; None otherwise

# Compiled templates are kept between runs and shared by the processes of a run, as compiled modules are (beside
# them when scripts/test.sh sets PYTHONPYCACHEPREFIX, else in jinja2's own folder for this user): the template tests
# alone load every template in three environments, and compiling them is most of their time. A template whose
# source changed is compiled again (jinja2 checks each one's checksum), so a syntax error still fails its test.
if sys.pycache_prefix:
    os.makedirs(os.path.join(sys.pycache_prefix, "templates"), exist_ok=True)
environment().bytecode_cache = jinja2.FileSystemBytecodeCache(
    os.path.join(sys.pycache_prefix, "templates") if sys.pycache_prefix else None)


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
    """The storage engine under test: SQLite here; the storage and services layers and a few end-to-end and
    process tests run both (they parametrize this fixture)."""
    return "sqlite"


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with the real migrations applied, made once: each test's database starts as a copy."""
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_server_running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pg_server.Server]:
    """A private PostgreSQL server for the session (bot/bench/pg_server.py); the workers of a pytest-xdist run share
    one. Without one installed the PostgreSQL tests are skipped — unless ZHIBU_TEST_POSTGRESQL=required
    (scripts/test.sh installs it and says so)."""
    reason = pg_server.unavailable()
    if reason is not None:
        if os.environ.get("ZHIBU_TEST_POSTGRESQL") == "required":
            pytest.fail(reason)
        pytest.skip(reason)
    if WORKER is not None:
        yield shared_pg_server(tmp_path_factory.getbasetemp().parent)
        return
    server = pg_server.start_server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_shared(pg_server_running: pg_server.Server) -> Iterator[pg_server.Resettable]:
    """The one migrated database this process's PostgreSQL tests share, emptied before each."""
    shared = pg_server.Resettable(pg_server_running.create(f"zhibu_test_{WORKER or 'main'}"))
    yield shared
    shared.close()


@pytest.fixture
def target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where the test's data lives: a fresh migrated SQLite file, or the shared PostgreSQL database, emptied."""
    return fresh_target(engine, tmp_path, request)


@pytest.fixture
async def db(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A plain connection to a real database with the real migrations applied: what repositories take."""
    if engine == "postgresql":
        connection = await postgresql.connect(request.getfixturevalue("target"))
    else:
        connection = await connect(fresh_database(request.getfixturevalue("migrated"), tmp_path / "test.db"))
    await migrate(connection)  # nothing left to apply: the database is up to date
    yield connection
    await connection.close()


@pytest.fixture
async def database(target: Path | str) -> AsyncIterator[Database]:
    """The unit of work over a real migrated database: what use cases take."""
    opened = await open_database(target)
    yield opened
    await opened.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--layer-times", action="store_true",
                     help="print each test layer's time (the sum of its tests' setup, call and teardown)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--layer-times"):
        config.pluginmanager.register(LayerTimes(), "layer-times")
