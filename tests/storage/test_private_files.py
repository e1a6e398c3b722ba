"""Members' data stays private on disk: database, WAL files and backups are 0600, folders zhibu makes 0700.
(`zhibu backup`'s refusals, as a process: tests/process/test_backup_command.py.)"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import branches
from storage.copies import backup
from storage.db import open_database

pytestmark = pytest.mark.sqlite_only


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: any file or folder that comes out private was made private on purpose."""
    previous = os.umask(0)
    yield
    os.umask(previous)


async def test_database_wal_and_folders_are_private(tmp_path, clock, open_umask):
    """A new database (0600), its -wal and -shm (0600) and the folders created for it (0700), even with umask 0."""
    path = tmp_path / "data" / "county" / "zhibu.db"
    database = await open_database(path)
    try:
        async with database.write() as tx:
            await branches.create(tx, "一支部", clock.now())
        for made in (path, path.with_name("zhibu.db-wal"), path.with_name("zhibu.db-shm")):
            assert made.exists(), made
            assert _mode(made) == 0o600, made
        assert _mode(tmp_path / "data") == 0o700
        assert _mode(tmp_path / "data" / "county") == 0o700
    finally:
        await database.close()


async def test_backups_are_private(tmp_path, db, open_umask):
    """A new backup, its new folder, and an older copy it replaces all end up readable by zhibu's user only."""
    backup(tmp_path / "test.db", tmp_path / "copies" / "one.db")
    assert _mode(tmp_path / "copies" / "one.db") == 0o600
    assert _mode(tmp_path / "copies") == 0o700

    older = tmp_path / "older.db"
    backup(tmp_path / "test.db", older)
    older.chmod(0o644)
    backup(tmp_path / "test.db", older)
    assert _mode(older) == 0o600
