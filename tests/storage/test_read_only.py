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
