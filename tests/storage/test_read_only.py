"""A county's database opened by the roll-up: readable, every write refused by SQLite, and a missing file is an
error instead of a new empty database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import units as unit_store
from storage.db import open_read_only
from tests.support import fresh_database


async def test_reads_work_and_writes_fail(tmp_path: Path, migrated: Path):
    """The root unit is read; an INSERT, inside or outside write(), fails with SQLite's read-only refusal."""
    db = await open_read_only(fresh_database(migrated, tmp_path / "zhibu-jia.db"))
    try:
        assert (await unit_store.get(db, 1)).name == "县委组织部"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            async with db.write() as conn:
                await conn.execute("INSERT INTO units (name, kind, parent_id, created_at) VALUES ('x', '', 1, '')")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await db.execute("DELETE FROM units")
        assert len(await unit_store.every(db)) == 1
    finally:
        await db.close()


async def test_a_missing_county_file_is_not_created(tmp_path: Path):
    """Opening a database that is not there fails, and leaves no file behind."""
    with pytest.raises(FileNotFoundError):
        await open_read_only(tmp_path / "zhibu-nowhere.db")
    assert not (tmp_path / "zhibu-nowhere.db").exists()


async def test_a_postgresql_county_is_read_only_in_every_transaction(pg_shared):
    """On PostgreSQL the roll-up's pool reads the root unit; an INSERT inside write(), in scratch() and alone
    outside any transaction is refused by the server as a write in a read-only transaction, and nothing changed."""
    from psycopg import errors

    pg_shared.reset()
    db = await open_read_only(pg_shared.url)
    insert = "INSERT INTO units (name, kind, parent_id, created_at) VALUES ('x', '', 1, '')"
    try:
        assert (await unit_store.get(db, 1)).name == "县委组织部"
        with pytest.raises(errors.ReadOnlySqlTransaction):
            async with db.write() as conn:
                await conn.execute(insert)
        with pytest.raises(errors.ReadOnlySqlTransaction):
            async with db.scratch() as conn:
                await conn.execute(insert)
        with pytest.raises(errors.ReadOnlySqlTransaction):
            await db.execute("DELETE FROM units")
        assert len(await unit_store.every(db)) == 1
    finally:
        await db.close()
