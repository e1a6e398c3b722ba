"""The PostgreSQL migrations keep step with SQLite's: after all of them both engines hold the same tables, columns
and named indexes (a migration added on one side only fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import postgresql
from storage.schema import MIGRATIONS, PG_MIGRATIONS, PG_VERSION_TABLE, migrate, migration_files, schema_version
from storage.sqlite import connect


@pytest.fixture
def engine() -> str:
    """Both engines at once: the SQLite file is opened here, the PostgreSQL database comes from `target`."""
    return "postgresql"


async def _sqlite_schema(path: Path) -> dict[str, object]:
    db = await connect(path)
    try:
        await migrate(db)
        async with db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") as cur:
            tables = sorted(row[0] for row in await cur.fetchall())
        columns = {}
        for table in tables:
            async with db.execute(f"PRAGMA table_info({table})") as cur:
                columns[table] = sorted(row[1] for row in await cur.fetchall())
        async with db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL") as cur:
            indexes = sorted(row[0] for row in await cur.fetchall())
        return {"tables": tables, "columns": columns, "indexes": indexes, "version": await schema_version(db)}
    finally:
        await db.close()


async def _postgresql_schema(url: str) -> dict[str, object]:
    db = await postgresql.connect(url)
    try:
        async with db.execute("""SELECT table_name, column_name FROM information_schema.columns
                                 WHERE table_schema = current_schema() AND table_name <> ?""",
                              (PG_VERSION_TABLE,)) as cur:
            rows = await cur.fetchall()
        columns: dict[str, list[str]] = {}
        for table, column in rows:
            columns.setdefault(table, []).append(column)
        # The indexes migrations name; those PostgreSQL makes for primary keys and UNIQUE constraints are not.
        async with db.execute("""SELECT i.indexname FROM pg_indexes i
                                 WHERE i.schemaname = current_schema() AND NOT EXISTS (
                                     SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""") as cur:
            indexes = sorted(row[0] for row in await cur.fetchall())
        return {"tables": sorted(columns), "columns": {t: sorted(c) for t, c in columns.items()},
                "indexes": indexes, "version": await schema_version(db)}
    finally:
        await db.close()


def test_both_migration_sets_have_the_same_numbers_and_names():
    """Every SQLite migration has its PostgreSQL twin under the same number and name, and no other."""
    assert [p.name for _, p in migration_files(MIGRATIONS)] == [p.name for _, p in migration_files(PG_MIGRATIONS)]


async def test_both_engines_end_with_the_same_tables_columns_and_indexes(target, tmp_path):
    """After every migration, SQLite and PostgreSQL have the same tables, the same columns in each, the same named
    indexes and the same schema version."""
    lite = await _sqlite_schema(tmp_path / "schema.db")
    pg = await _postgresql_schema(str(target))
    assert pg["tables"] == lite["tables"]
    assert pg["columns"] == lite["columns"]
    assert pg["indexes"] == lite["indexes"]
    assert pg["version"] == lite["version"] == migration_files()[-1][0]
