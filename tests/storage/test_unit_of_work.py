"""The unit of work: use cases running side by side never see each other's uncommitted writes."""

from __future__ import annotations

import asyncio

import pytest

from storage import branches
from tests.support import READ_ONLY_ERRORS


async def _names(database) -> list[str]:
    return [b.name for b in await branches.every(database)]


async def test_another_use_case_sees_a_write_only_once_it_is_committed(database, clock):
    """While one task's write is open, a read in another task sees the committed state (not the new branch);
    inside the write the task's own reads see it; after the commit everybody does."""
    written, looked = asyncio.Event(), asyncio.Event()
    seen: dict[str, object] = {}

    async def writer() -> None:
        async with database.write() as tx:
            branch = await branches.create(tx, "一支部", clock.now())
            seen["id"] = branch.id
            seen["own read, through the Database"] = await branches.get(database, branch.id)
            seen["own read, through the block"] = await branches.get(tx, branch.id)
            written.set()
            await looked.wait()  # stay uncommitted until the other use case has looked

    async def reader() -> None:
        await written.wait()
        seen["other task, plain read"] = await branches.get(database, seen["id"])
        async with database.read() as snapshot:
            seen["other task, snapshot"] = await branches.get(snapshot, seen["id"])
        looked.set()

    await asyncio.gather(asyncio.create_task(writer()), asyncio.create_task(reader()))

    assert seen["other task, plain read"] is None
    assert seen["other task, snapshot"] is None
    assert seen["own read, through the Database"].name == "一支部"
    assert seen["own read, through the block"].name == "一支部"
    assert (await branches.get(database, seen["id"])).name == "一支部"


async def test_a_snapshot_keeps_its_view_while_another_use_case_commits(database, clock):
    """Several reads in one `read()` agree with each other even when a write commits between them."""
    async with database.write() as tx:
        await branches.create(tx, "一支部", clock.now())
    first_read, committed = asyncio.Event(), asyncio.Event()
    views: list[list[str]] = []

    async def report() -> None:
        async with database.read() as snapshot:
            views.append(await _names(snapshot))
            first_read.set()
            await committed.wait()
            views.append(await _names(snapshot))

    async def add_branch() -> None:
        await first_read.wait()
        async with database.write() as tx:
            await branches.create(tx, "二支部", clock.now())
        committed.set()

    await asyncio.gather(asyncio.create_task(report()), asyncio.create_task(add_branch()))

    assert views == [["一支部"], ["一支部"]]
    assert await _names(database) == ["一支部", "二支部"]


async def test_a_write_that_raises_leaves_nothing(database, clock):
    """Everything a failed unit of work wrote is rolled back, including what a joined inner write() did."""
    with pytest.raises(RuntimeError):
        async with database.write() as tx:
            await branches.create(tx, "一支部", clock.now())
            async with database.write() as inner:  # a step of the same use case joins it
                await branches.create(inner, "二支部", clock.now())
            raise RuntimeError("the use case fails half-way")

    assert await _names(database) == []
    async with database.write() as tx:  # and the Database is usable again
        await branches.create(tx, "三支部", clock.now())
    assert await _names(database) == ["三支部"]


async def test_a_write_outside_write_raises(database, clock):
    """Reads through the Database run on query-only connections: a write that forgot `write()` fails loudly
    and changes nothing."""
    with pytest.raises(READ_ONLY_ERRORS):
        await branches.create(database, "一支部", clock.now())
    async with database.read() as snapshot:
        with pytest.raises(READ_ONLY_ERRORS):
            await branches.create(snapshot, "一支部", clock.now())
    assert await _names(database) == []
