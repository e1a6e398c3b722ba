"""Migration 037 rebuilds the meetings table on SQLite: rows and the references to them survive, the new rules hold."""

import aiosqlite
import pytest

from storage import schema
from storage.schema import migrate, migration_files
from tests.support import INTEGRITY_ERRORS

NOW = "2026-12-01T00:00:00+00:00"


async def _database_at(path, version, monkeypatch):
    """A SQLite file migrated up to `version` only, with one branch, member, meeting and attendance row."""
    older = [(n, p) for n, p in migration_files() if n <= version]
    monkeypatch.setattr(schema, "migration_files", lambda folder=schema.MIGRATIONS: older)
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA foreign_keys=ON")
    await migrate(db)
    await db.execute("INSERT INTO branches (id, name, created_at) VALUES (1, '一支部', ?)", (NOW,))
    await db.execute("INSERT INTO members (id, branch_id, telegram_id, name, status, created_at, updated_at)"
                     " VALUES (7, 1, 70, '李', 'active', ?, ?)", (NOW, NOW))
    await db.execute("INSERT INTO meetings (id, branch_id, kind, starts_at, ends_at, checkin_opens_at, holds,"
                     " created_at, updated_at) VALUES (5, 1, 'assembly', ?, ?, ?, 'x', ?, ?)", (NOW, NOW, NOW, NOW, NOW))
    await db.execute("INSERT INTO attendance (meeting_id, member_id, status, at) VALUES (5, 7, 'checked_in', ?)", (NOW,))
    monkeypatch.setattr(schema, "migration_files", migration_files)
    return db


@pytest.mark.sqlite_only
async def test_rebuild_keeps_meetings_and_their_references(tmp_path, monkeypatch):
    """A database at 036 with a meeting and its attendance migrates: both rows are there, foreign keys back on."""
    db = await _database_at(tmp_path / "old.db", 36, monkeypatch)
    try:
        assert 37 in await migrate(db)
        rows = await (await db.execute("SELECT id, branch_id, kind, holds, unit_id FROM meetings")).fetchall()
        assert [tuple(r) for r in rows] == [(5, 1, "assembly", "x", None)]
        rows = await (await db.execute("SELECT meeting_id, member_id FROM attendance")).fetchall()
        assert [tuple(r) for r in rows] == [(5, 7)]
        assert (await (await db.execute("PRAGMA foreign_keys")).fetchone())[0] == 1
        assert await (await db.execute("PRAGMA foreign_key_check")).fetchall() == []
        with pytest.raises(INTEGRITY_ERRORS):  # the references still hold after the rename
            await db.execute("INSERT INTO attendance (meeting_id, member_id, status, at) VALUES (99, 7, 'absent', ?)",
                             (NOW,))
    finally:
        await db.close()


async def test_a_meeting_has_exactly_one_host(db):
    """A meeting names a branch or a unit, not both and not neither; the new kinds are accepted."""
    await db.execute("INSERT INTO branches (id, name, created_at) VALUES (1, '一支部', ?)", (NOW,))
    columns = "(branch_id, unit_id, kind, starts_at, ends_at, checkin_opens_at, created_at, updated_at)"
    await db.execute(f"INSERT INTO meetings {columns} VALUES (1, NULL, 'study', ?, ?, ?, ?, ?)", (NOW,) * 5)
    await db.execute(f"INSERT INTO meetings {columns} VALUES (NULL, 1, 'leadership_life', ?, ?, ?, ?, ?)", (NOW,) * 5)
    for branch, unit in ((1, 1), (None, None)):  # unit 1: the root every county has
        with pytest.raises(INTEGRITY_ERRORS):
            await db.execute(f"INSERT INTO meetings {columns} VALUES (?, ?, 'life', ?, ?, ?, ?, ?)",
                             (branch, unit) + (NOW,) * 5)
