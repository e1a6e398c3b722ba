
import pytest

from storage.copies import backup
from storage.db import open_database
from storage.schema import migrate, migration_files, schema_version
from tests.support import INTEGRITY_ERRORS


async def test_fresh_database_reaches_latest_version(db):
    """All migrations apply in order to an empty file and set PRAGMA user_version."""
    assert await schema_version(db) == migration_files()[-1][0]


async def test_migrate_twice_applies_nothing(db):
    """Re-running migrations on an up-to-date database is a no-op."""
    assert await migrate(db) == []


@pytest.mark.sqlite_only
async def test_pragmas(db):
    """WAL, foreign keys and a busy timeout are on."""
    async with db.execute("PRAGMA journal_mode") as cur:
        assert (await cur.fetchone())[0] == "wal"
    async with db.execute("PRAGMA foreign_keys") as cur:
        assert (await cur.fetchone())[0] == 1
    async with db.execute("PRAGMA busy_timeout") as cur:
        assert (await cur.fetchone())[0] == 5000


async def test_foreign_keys_enforced(db):
    """A member of a branch that does not exist is refused."""
    with pytest.raises(INTEGRITY_ERRORS):
        await db.execute(
            "INSERT INTO members (branch_id, telegram_id, name, status, created_at, updated_at)"
            " VALUES (999, 1, 'x', 'active', 'now', 'now')"
        )


@pytest.mark.sqlite_only
async def test_backup_is_a_consistent_copy(tmp_path, db):
    """The online backup of a live database opens with the same schema and rows."""
    await db.execute("INSERT INTO branches (name, created_at) VALUES ('备份支部', '2026-01-01T00:00:00+00:00')")
    backup(tmp_path / "test.db", tmp_path / "copy" / "b.db")
    copy = await open_database(tmp_path / "copy" / "b.db")
    try:
        async with copy.execute("SELECT name FROM branches") as cur:
            assert [r[0] for r in await cur.fetchall()] == ["备份支部"]
    finally:
        await copy.close()
