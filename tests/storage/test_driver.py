"""The one-trip connection (storage/driver.py) reads like an aiosqlite cursor: rows, row counts, errors."""

from __future__ import annotations

import sqlite3

import aiosqlite
import pytest

from storage import driver


@pytest.fixture
async def conn(tmp_path):
    async with driver.connect(tmp_path / "t.db", isolation_level=None) as connection:
        connection.row_factory = aiosqlite.Row
        await connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        await connection.executemany("INSERT INTO t (name) VALUES (?)", [("a",), ("b",), ("c",)])
        yield connection


async def test_rows_are_read_one_by_one_then_the_rest(conn):
    """fetchone walks the rows in order, fetchall gives what is left, and an exhausted result gives None / []."""
    async with conn.execute("SELECT name FROM t ORDER BY id") as cur:
        assert (await cur.fetchone())["name"] == "a"
        assert [r["name"] for r in await cur.fetchall()] == ["b", "c"]
        assert await cur.fetchone() is None
        assert await cur.fetchall() == []


async def test_awaited_without_a_block_and_iterated(conn):
    """`await conn.execute(...)` gives the result too, and `async for` goes through its rows."""
    result = await conn.execute("SELECT id FROM t WHERE id >= ? ORDER BY id", (2,))
    assert [row[0] async for row in result] == [2, 3]
    assert [tuple(r) for r in await (await conn.execute("SELECT id FROM t LIMIT 2")).fetchmany(5)] == [(1,), (2,)]


async def test_row_counts_of_writes_and_returning(conn):
    """An UPDATE's rowcount is the rows it changed; INSERT … RETURNING gives the new row and its id."""
    async with conn.execute("UPDATE t SET name = 'x' WHERE id <= ?", (2,)) as cur:
        assert cur.rowcount == 2
    async with conn.execute("INSERT INTO t (name) VALUES ('d') RETURNING id, name") as cur:
        row = await cur.fetchone()
        assert (row["id"], row["name"], cur.lastrowid) == (4, "d", 4)
    async with conn.execute("DELETE FROM t WHERE name = 'x' RETURNING id") as cur:
        assert sorted(r[0] for r in await cur.fetchall()) == [1, 2] and cur.rowcount == 2


async def test_errors_come_out_of_the_await(conn):
    """A bad statement raises sqlite3's error where it is awaited, and the connection goes on working."""
    with pytest.raises(sqlite3.OperationalError):
        await conn.execute("SELECT nope FROM t")
    async with conn.execute("SELECT COUNT(*) FROM t") as cur:
        assert (await cur.fetchone())[0] == 3


async def test_inline_reads_run_on_the_loop_and_see_commits(tmp_path):
    """An inline connection (the unit of work's readers) answers on the event loop's thread and sees what another
    connection committed."""
    path = tmp_path / "w.db"
    async with driver.connect(path, isolation_level=None) as writer, driver.connect(path, inline=True) as reader:
        await writer.execute("PRAGMA journal_mode=WAL")
        await writer.execute("CREATE TABLE t (v INTEGER)")
        await writer.execute("INSERT INTO t VALUES (7)")
        assert reader.inline and not writer.inline
        async with reader.execute("SELECT v FROM t") as cur:
            assert [r[0] for r in await cur.fetchall()] == [7]
