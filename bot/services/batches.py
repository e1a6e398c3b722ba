"""Ticks that go through a whole county work in batches: one write transaction per batch, and the event loop's
turn in between, so sends, button presses and other writes go on while a start-up plans 900 branches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# Branches (or meetings) per write transaction. A theme day with its ~70 reminders takes ~7 ms to plan and write
# (measured in process): 20 keep a waiting send or update under ~0.2 s (50 made it ~0.5 s), and the whole county
# takes no longer. `zhibu bench startup` shows what people waiting for answers see meanwhile.
BATCH = 20


async def batches(items: Sequence[T], size: int = BATCH) -> AsyncIterator[Sequence[T]]:
    """`items` in slices of `size`. Before each slice after the first the event loop runs whatever is ready,
    and a writer waiting for the database (asyncio's lock is first come, first served) gets its turn."""
    for start in range(0, len(items), size):
        if start:
            await asyncio.sleep(0)
        yield items[start:start + size]
