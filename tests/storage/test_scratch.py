"""A scratch copy of the database (`Database.scratch()`): made and used without the live writer, private while it
lasts, gone afterwards even when the block raises, and never a way for its writes to reach the live data."""

from __future__ import annotations

import asyncio
import contextvars
from pathlib import Path

import pytest

from storage import branches

# Only a guard against hanging when a scratch copy wrongly waits for the writer; a passing run never comes near.
HANG_GUARD_S = 30


def _files(database) -> set[str]:
    return {p.name for p in Path(database.path).parent.iterdir()}


async def test_a_scratch_copy_is_used_while_another_use_case_holds_the_writer(database, clock):
    """With a write transaction open (the asyncio lock and SQLite's write lock both held), another task makes a
    scratch copy, writes to it and reads its own write back: the copy needs neither lock. It holds the committed
    data only, not the open transaction's branch."""
    async with database.write() as tx:
        await branches.create(tx, "一支部", clock.now())
    seen: dict[str, list[str]] = {}

    async def dry_run() -> None:
        async with database.scratch() as copy:
            seen["copied"] = [b.name for b in await branches.every(copy)]
            await branches.create(copy, "草稿支部", clock.now())
            seen["after its own write"] = [b.name for b in await branches.every(copy)]

    async with database.write() as tx:
        await branches.create(tx, "二支部", clock.now())
        # A fresh context: the dry run is another use case, not a step of this open unit of work.
        other = asyncio.create_task(dry_run(), context=contextvars.Context())
        await asyncio.wait_for(other, HANG_GUARD_S)

    assert seen == {"copied": ["一支部"], "after its own write": ["一支部", "草稿支部"]}
    assert [b.name for b in await branches.every(database)] == ["一支部", "二支部"]


@pytest.mark.sqlite_only
async def test_a_scratch_copy_is_private_and_removed_afterwards(database, clock):
    """While it lasts the copy is a 0600 file beside the database; after the block nothing of it is left, and
    nothing written to it reached the live database."""
    before = _files(database)
    async with database.scratch() as copy:
        await branches.create(copy, "草稿支部", clock.now())
        extra = [Path(database.path).parent / name for name in _files(database) - before]
        modes = {p.stat().st_mode & 0o777 for p in extra}
    assert extra and modes == {0o600}
    assert _files(database) == before
    assert await branches.every(database) == []


@pytest.mark.sqlite_only
async def test_a_scratch_copy_is_removed_when_its_block_raises(database, clock):
    """An error inside the block still removes the copy, and the error comes through unchanged."""
    before = _files(database)
    with pytest.raises(RuntimeError, match="planning failed"):
        async with database.scratch() as copy:
            await branches.create(copy, "草稿支部", clock.now())
            raise RuntimeError("planning failed")
    assert _files(database) == before
    assert await branches.every(database) == []


async def test_opening_the_database_removes_old_scratch_copies_a_killed_process_left(tmp_path):
    """A copy an hour old or more is a killed preview's leftover and goes at the next start; a fresh one may be
    another process's preview in progress and stays."""
    import os
    import time

    from storage.copies import SCRATCH_STALE_SECONDS
    from storage.db import open_database

    live = tmp_path / "zhibu.db"
    old, fresh = tmp_path / ".zhibu.db-scratch-old1.db", tmp_path / ".zhibu.db-scratch-new1.db"
    for leftover in (old, fresh):
        leftover.write_bytes(b"names and birth dates")
    stale = time.time() - SCRATCH_STALE_SECONDS - 60
    os.utime(old, (stale, stale))
    db = await open_database(live)
    await db.close()
    assert not old.exists() and fresh.exists()
