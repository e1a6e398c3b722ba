"""`python -m bot.bench.open_checkins FILE=MEETING,MEETING… …`: what `zhibu bench counties` writes into the files of
its running county bots — every member's "check-in is open" reminder due now, as a county's planner writes it when
the check-in opens — run in a process of its own. Printed: one line per file, the reminders planned and the longest
write held (s).

Why a process of its own: the bench's own process plays Telegram for every bot, so a write transaction it held
stayed open across hundreds of the emulator's answers (20 s for ten branches, measured on a loaded machine), and a
bot's own next write waited past its busy timeout (5 s) and failed with "database is locked". Here nothing else runs
between a write's statements, and each write covers a few branches."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.services import Services
from bot.services.meetings.reminders import plan_reminders_many
from bot.settings import Settings
from storage import meetings as meeting_store
from storage.db import open_database

BRANCHES_PER_WRITE = 10


async def open_checkins(path: Path, meeting_ids: list[int]) -> tuple[int, float]:
    """The reminders planned, and the longest write held on the file (s)."""
    db = await open_database(path, migrate_schema=False)
    try:
        svc = Services(db=db, settings=Settings(db=path))
        now, planned, longest = datetime.now(UTC), 0, 0.0
        for start in range(0, len(meeting_ids), BRANCHES_PER_WRITE):
            began = time.perf_counter()
            async with db.write() as tx:
                found = [await meeting_store.get(tx, m) for m in meeting_ids[start:start + BRANCHES_PER_WRITE]]
                planned += await plan_reminders_many(svc, tx, [m for m in found if m is not None], now)
            longest = max(longest, time.perf_counter() - began)
        return planned, longest
    finally:
        await db.close()


def argument(path: Path, meeting_ids: list[int]) -> str:
    return f"{path}={','.join(map(str, meeting_ids))}"


async def _main(args: list[str]) -> None:
    for arg in args:
        path, _, ids = arg.rpartition("=")
        planned, longest = await open_checkins(Path(path), [int(i) for i in ids.split(",") if i])
        print(planned, f"{longest:.3f}", flush=True)


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1:]))
