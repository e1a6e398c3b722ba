"""How a county's start-up planning weighs on the bot: theme days for 900 branches / 20,000 members.

Not a test and not a benchmark of record: a figure to compare before and after a change, run by hand
(`PYTHONPATH=. python scripts/startup_planning.py [branches] [members]`). On a fresh database it times

1. `themeday.create_due` (each branch's coming theme day and its check-in reminders), then the next day's
   `replan_daily` over all those meetings, each with the event loop's longest stall (a task sleeping 10 ms in a
   loop records the largest gap) and the longest wait of a small write (a probe writing every 50 ms);
2. on a second fresh county with one message due: the drain job as the app runs it (the catch-up `Drainer.drain`
   at start, the repeating job every ZHIBU_DRAIN_INTERVAL, wakes), its ticks including the theme days, and how
   long that due message waited before it was handed to the sender.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.catalog import core_registry
from bot.clock import Clock
from bot.domain.outbox import Planned
from bot.outgoing import Outgoing
from bot.scheduler import Delivery, Drainer, SendResult
from bot.services import Services, notify, themeday
from bot.services.attendance import replan_daily
from bot.settings import Settings
from storage import marks, outbox
from storage.bulk import seed_county
from storage.db import Database

# 10:00 in Shanghai on a Monday: December's theme day (first Thursday) is within its 10 days' lead.
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class FixedClock(Clock):
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


class Watch:
    """The event loop's longest stall and the longest wait for a small write, while it runs."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.stall = 0.0
        self.write_wait = 0.0
        self.writes = 0

    async def _loop(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(0.010)
            self.stall = max(self.stall, time.perf_counter() - before - 0.010)

    async def _writer(self) -> None:
        while True:
            await asyncio.sleep(0.050)
            before = time.perf_counter()
            async with self.db.write() as tx:
                await marks.claim(tx, f"probe:{self.writes}", START)
            self.write_wait = max(self.write_wait, time.perf_counter() - before)
            self.writes += 1

    @asynccontextmanager
    async def running(self):
        tasks = [asyncio.create_task(self._loop()), asyncio.create_task(self._writer())]
        try:
            yield self
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _county(path: Path, branches: int, members: int) -> tuple[Database, Services, list]:
    db = await Database.open(path)
    async with db.write() as tx:
        layout = await seed_county(tx, branches=branches, members=members, now=START)
    svc = Services(db=db, settings=Settings(db=path), clock=FixedClock(START), features=core_registry())
    return db, svc, layout


async def _timed(label: str, db: Database, step) -> None:
    async with Watch(db).running() as watch:
        began = time.perf_counter()
        await step()
        took = time.perf_counter() - began
    print(f"{label:<34} {took:7.2f} s   longest loop stall {watch.stall * 1000:7.1f} ms   "
          f"longest small write {watch.write_wait * 1000:7.1f} ms ({watch.writes} writes)")


async def planning(folder: Path, branches: int, members: int) -> None:
    db, svc, _ = await _county(folder / "plan.db", branches, members)
    try:
        await _timed("create_due (theme days + reminders)", db, lambda: themeday.create_due(svc, START))
        async with db.read() as snap:
            async with snap.execute("SELECT COUNT(*) FROM outbox") as cur:
                rows = (await cur.fetchone())[0]
            async with snap.execute("SELECT COUNT(*) FROM meetings") as cur:
                made = (await cur.fetchone())[0]
        print(f"{'':<34} {made} meetings, {rows} outbox rows")
        await _timed("replan_daily (next day)", db, lambda: replan_daily(svc, START + timedelta(days=1)))
    finally:
        await db.close()


async def drain(folder: Path, branches: int, members: int) -> None:
    db, svc, layout = await _county(folder / "drain.db", branches, members)
    handed: list[float] = []

    async def send(chat_id: int, message: Outgoing) -> SendResult:
        handed.append(time.perf_counter())
        return SendResult(Delivery.SENT, message_id=len(handed))

    try:
        async with db.write() as tx:
            await outbox.upsert(tx, Planned(key="probe:due", chat_id=layout[0][1], kind="probe",
                                            payload=Outgoing(template="common/hint.j2"), due_at=START), START)
        woken: set[asyncio.Task] = set()

        def spawn(coroutine) -> asyncio.Task:  # like the app's create_task: every task is awaited at the end
            task = asyncio.create_task(coroutine)
            woken.add(task)
            task.add_done_callback(woken.discard)
            return task

        drainer = Drainer(svc, send, notify.member_unreachable, spawn=spawn)

        def wake() -> None:  # as bot/app.py wires it
            spawn(drainer.drain())

        async def drain_job() -> None:  # the app's repeating drain job
            while True:
                await asyncio.sleep(svc.settings.drain_interval)
                await drainer.drain()

        svc.wake_outbox = wake
        async with Watch(db).running() as watch:
            began = time.perf_counter()
            job = asyncio.create_task(drain_job())
            await drainer.drain()  # the catch-up drain at start
            returned = time.perf_counter() - began
            await drainer.drain_now()  # waits for ticks still going, if the drain left them running
            done = time.perf_counter() - began
            job.cancel()
            while woken:
                await asyncio.gather(*woken)
        first = handed[0] - began if handed else float("nan")
        print(f"{'drain job (ticks + sends)':<34} {done:7.2f} s   due message handed over after {first:6.2f} s   "
              f"drain() returned after {returned:6.2f} s   longest loop stall {watch.stall * 1000:7.1f} ms   "
              f"longest small write {watch.write_wait * 1000:7.1f} ms")
    finally:
        await db.close()


async def main(branches: int, members: int) -> None:
    print(f"county: {branches} branches, {members} members")
    with tempfile.TemporaryDirectory() as folder:
        await planning(Path(folder), branches, members)
        await drain(Path(folder), branches, members)


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:3]]
    asyncio.run(main(*(numbers + [900, 20_000][len(numbers):])))
