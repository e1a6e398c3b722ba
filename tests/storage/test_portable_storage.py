"""The dialect helpers on a real SQLite file, and the repositories keeping to portable SQL and to the Conn protocol."""

from __future__ import annotations

import re
from pathlib import Path

from storage.db import transaction
from storage.dialect import joined, postgresql, prefix_bounds, starts_with

STORAGE = Path(__file__).resolve().parents[2] / "storage"
# The modules that are the engines themselves: SQLite's file, the schema, the unit of work, copies, the dialect, and
# PostgreSQL's connection and unit of work.
ENGINE = {"sqlite.py", "schema.py", "db.py", "copies.py", "dialect.py", "work.py", "postgresql.py", "pg_database.py"}


def _repository_lines():
    for path in sorted(STORAGE.glob("*.py")):
        if path.name not in ENGINE:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.lstrip().startswith("#"):
                    yield f"{path.name}:{number}", line


async def test_starts_with_finds_exactly_the_keys_under_a_prefix(db):
    """A prefix scan returns the key equal to the prefix and those continuing it, and not a key that merely shares
    its letters or sorts just after it."""
    keys = ["meeting:1", "meeting:1:", "meeting:1:remind", "meeting:1:z~", "meeting:10:remind", "meeting:2:",
            "meeting:1;"]
    async with transaction(db):
        await db.execute("CREATE TEMP TABLE k (key TEXT PRIMARY KEY)")
        await db.executemany("INSERT INTO k (key) VALUES (?)", [(k,) for k in keys])
    async with db.execute(f"SELECT key FROM k WHERE {starts_with('key')} ORDER BY key",
                          prefix_bounds("meeting:1:")) as cur:
        found = [r[0] for r in await cur.fetchall()]
    assert found == ["meeting:1:", "meeting:1:remind", "meeting:1:z~"]


async def test_joined_folds_a_group_into_one_text_and_an_empty_group_into_null(db):
    """`joined` gives each group's values with the separator between them, and NULL for a group without any."""
    async with transaction(db):
        await db.execute("CREATE TEMP TABLE g (grp INTEGER, v TEXT)")
        await db.executemany("INSERT INTO g (grp, v) VALUES (?, ?)", [(1, "甲"), (1, "乙"), (2, "丙")])
    async with db.execute(f"SELECT {joined('v', '、')} FROM g WHERE grp = 1") as cur:
        one = (await cur.fetchone())[0]
    async with db.execute(f"SELECT {joined('v')} FROM g WHERE grp = 3") as cur:
        none = (await cur.fetchone())[0]
    assert sorted(one.split("、")) == ["乙", "甲"]
    assert none is None


def test_repositories_use_the_portable_spellings():
    """No repository writes INSERT OR IGNORE, `IS ?`, group_concat or a hand-made prefix bound: they have portable
    forms or helpers in storage/dialect.py, which a second engine relies on."""
    sqlite_only = re.compile(r"INSERT\s+OR\s+IGNORE|\bIS\s+(NOT\s+)?\?|group_concat|\\uffff|\uffff", re.IGNORECASE)
    assert [where for where, line in _repository_lines() if sqlite_only.search(line)] == []


def test_repositories_take_the_connection_protocol_not_the_driver():
    """No repository imports aiosqlite: they take `storage.connection.Conn`, which the unit of work, a plain
    connection and a scratch copy all satisfy, and which a second engine's connection can."""
    assert [where for where, line in _repository_lines() if "aiosqlite" in line] == []


def test_postgresql_spelling_turns_parameters_and_percents_but_not_what_is_quoted():
    """`?` becomes psycopg's `%s` only outside strings, quoted names and comments; every `%` is doubled (psycopg
    reads them everywhere); `joined`'s group_concat becomes string_agg."""
    cases = {
        "SELECT a FROM t WHERE a = ? AND b = ?": "SELECT a FROM t WHERE a = %s AND b = %s",
        "SELECT '?%', 'it''s ?', \"odd?\" FROM t WHERE b LIKE 'x%' AND c = ?":
            "SELECT '?%%', 'it''s ?', \"odd?\" FROM t WHERE b LIKE 'x%%' AND c = %s",
        "SELECT 1 -- why? 100%\nWHERE a = ? /* ?% */": "SELECT 1 -- why? 100%%\nWHERE a = %s /* ?%% */",
        f"SELECT {joined('m.name', '、')} FROM m": "SELECT string_agg(CAST(m.name AS TEXT), '、') FROM m",
    }
    assert {sql: postgresql(sql) for sql in cases} == cases
