"""Ticks that go through a whole county work in batches: one write transaction per batch, and the event loop's
turn in between, so sends, button presses and other writes go on while a start-up plans 900 branches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Branches (or meetings) per write transaction: a batch of theme days with their reminders is a few tens of
# milliseconds of writing, short enough for a waiting send or update not to notice.
BATCH = 50


async def batches(items: Sequence[T], size: int = BATCH) -> AsyncIterator[Sequence[T]]:
    """`items` in slices of `size`. Before each slice after the first the event loop runs whatever is ready,
    and a writer waiting for the database (asyncio's lock is first come, first served) gets its turn."""
    for start in range(0, len(items), size):
        if start:
            await asyncio.sleep(0)
        yield items[start:start + size]
