"""Several processes draining one PostgreSQL outbox: `zhibu bench outbox --workers 1,2,4`, and the multi-process
proof (tests/process/test_shared_outbox.py), which kills one worker with SIGKILL mid-run.

Each worker is a child process (`python -m bot.bench.outbox URL API LEASE`) running the real Drainer — its leased
claim, its fenced finish, its reaper — with no features (no ticks, no relevance checks) and an unpaced sender that
posts sendMessage straight to the emulator: what is measured is the shared outbox, not the rendering or Telegram's
30 msg/s. Every row's text is unique, so the emulator says what arrived how often: a text twice is a duplicate, a
text never a loss. Workers leave when nothing is due or held any more.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from bot.bench import process
from bot.bench.updates import spread
from bot.domain.outbox import OutboxStatus, Planned
from bot.emulator import Emulator
from bot.engine_types import Delivery, Sender, SendResult
from bot.features import Registry
from bot.outgoing import Outgoing
from bot.scheduler import LEASE, Drainer
from bot.services import Services
from bot.settings import Settings
from storage import outbox
from storage.db import open_database

MARK = "outbox-bench"
CHATS = 250  # the rows go to this many chats (a chat's rows are sent one after another, chats concurrently)
# The production lease (2 min) unless told otherwise; the kill test gives a shorter one, so that the killed worker's
# rows come back within the run — yet long enough for a send and its finish on a loaded machine, or a live worker's
# row would go back too and be sent twice.
LEASE_SECONDS = LEASE.total_seconds()


@dataclass
class Figures:
    rows: int
    workers: int
    seconds: float  # from the first message's arrival to the last's
    delivered: int  # distinct rows that arrived
    duplicates: int
    lost: int
    not_sent: int  # rows not marked sent in the database at the end
    leases_run_out: int = 0  # rows a live worker found taken back before it sent or finished them (logged)
    killed_in_flight: int | None = None  # rows the killed worker held (claimed, not finished) when it died
    sent_by: list[int] = field(default_factory=list)  # rows each holder marked sent, largest first

    @property
    def per_second(self) -> float:
        return self.delivered / self.seconds if self.seconds else 0.0


async def seed(url: str, rows: int) -> None:
    """`rows` messages due now, each with its own text, over CHATS chats."""
    now = datetime.now(UTC)
    wanted = [Planned(key=f"obench:{k:06d}", chat_id=_chat(k), kind="bench", due_at=now,
                      payload=Outgoing(template="common/hint.j2", params={"n": k})) for k in range(rows)]
    db = await open_database(url)
    try:
        async with db.write() as tx:
            await outbox.converge(tx, "obench:", wanted, now)
    finally:
        await db.close()


def _chat(k: int) -> int:
    return 500_000 + k % CHATS


async def run(url: str, rows: int, workers: int, *, kill_after: int | None = None,
              timeout: float = 300.0, lease: float = LEASE_SECONDS) -> Figures:
    """Seed `rows` messages into the (empty) database at `url`, start `workers` worker processes, and watch the
    emulator until they are done; with `kill_after`, the first worker is killed (SIGKILL) once that many arrived."""
    await seed(url, rows)
    async with Emulator() as emu:  # no flood limits: the senders are unpaced
        emu.record_calls = False
        for k in range(CHATS):
            emu.user(_chat(k))
        env = process.bot_env(emu, url)
        api = f"{emu.base_url}{emu.token}"
        procs = [await process.start(["-m", "bot.bench.outbox", url, api, str(lease)], env, Path.cwd())
                 for _ in range(workers)]
        in_flight: int | None = None
        try:
            arrivals, killed = await _watch(emu, procs, url, rows, kill_after, timeout)
            if killed is not None:
                in_flight = killed
        finally:
            errors = [await process.stop(proc) for proc in procs]
        for text in errors:
            if "Traceback" in text:
                print(f"a worker logged errors:\n{text[-3000:]}", file=sys.stderr)
        copies = Counter(m.plain for m in emu.timeline() if m.from_bot and MARK in m.plain)
    db = await open_database(url)
    try:
        sent_by = await outbox.held_by(db, OutboxStatus.SENT)
        counts = await outbox.counts(db)
    finally:
        await db.close()
    return Figures(rows, workers, (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0, len(copies),
                   sum(n - 1 for n in copies.values()), rows - len(copies), rows - counts.get("sent", 0),
                   sum(text.count("the lease ran out") for text in errors), in_flight,
                   sorted(sent_by.values(), reverse=True))


async def _watch(emu: Emulator, procs: list[asyncio.subprocess.Process], url: str, rows: int,
                 kill_after: int | None, timeout: float) -> tuple[list[float], int | None]:
    """Until every worker left (or `timeout`): when each message arrived, and — when one worker was killed — how
    many rows it held in flight at that moment (read at once: nobody else touches them until the lease runs out)."""
    started = time.perf_counter()
    seen, arrivals, killed = 0, [], None
    while any(proc.returncode is None for proc in procs):
        new = [m for m in emu.timeline(seen) if m.from_bot]
        if new:
            seen = new[-1].seq
            arrivals += [time.perf_counter()] * sum(1 for m in new if MARK in m.plain)
        if kill_after is not None and killed is None and len(arrivals) >= kill_after:
            victim = procs[0]
            os.kill(victim.pid, signal.SIGKILL)
            await victim.wait()
            killed = await _held_in_flight(url, victim.pid)
            print(f"killed worker {victim.pid} after {len(arrivals)} of {rows} arrived; it held {killed} rows "
                  "in flight", flush=True)
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"the workers did not finish in {timeout:.0f}s ({len(arrivals)} of {rows} arrived)")
        await asyncio.sleep(0.02)
    new = [m for m in emu.timeline(seen) if m.from_bot and MARK in m.plain]
    arrivals += [time.perf_counter()] * len(new)
    return arrivals, killed


async def _held_in_flight(url: str, pid: int) -> int:
    db = await open_database(url, migrate_schema=False)
    try:
        held = await outbox.held_by(db, OutboxStatus.SENDING)
    finally:
        await db.close()
    return sum(n for holder, n in held.items() if f":{pid}:" in holder)


def report(figures: list[Figures]) -> str:
    lines = [f"{'workers':>7}  {'rows':>6}  {'seconds':>7}  {'rows/s':>7}  {'duplicates':>10}  {'lost':>4}  "
             f"{'not sent':>8}  {'leases run out':>14}  rows sent per worker"]
    for f in figures:
        lines.append(f"{f.workers:>7}  {f.rows:>6}  {f.seconds:>7.2f}  {f.per_second:>7.0f}  {f.duplicates:>10}  "
                     f"{f.lost:>4}  {f.not_sent:>8}  {f.leases_run_out:>14}  {' / '.join(map(str, f.sent_by))}")
    by_workers: dict[int, list[float]] = {}
    for f in figures:
        by_workers.setdefault(f.workers, []).append(f.per_second)
    lines += [f"{workers} worker(s): rows/s {spread(rates, 0)}" for workers, rates in by_workers.items()]
    return "\n".join(lines)


# The worker process.

async def _unreachable(*args: object) -> None:
    """Every chat exists in the emulator: nobody is found unreachable."""


def _sender(session: aiohttp.ClientSession, api: str) -> Sender:
    async def send(chat_id: int, message: Outgoing) -> SendResult:
        text = f"{MARK} #{message.params['n']}"
        try:
            async with session.post(f"{api}/sendMessage", json={"chat_id": chat_id, "text": text}) as answer:
                body = await answer.json()
        except aiohttp.ClientError as exc:
            return SendResult(Delivery.UNCERTAIN, error=repr(exc))
        if body.get("ok"):
            return SendResult(Delivery.SENT, message_id=body["result"]["message_id"])
        return SendResult(Delivery.TRANSIENT, error=str(body.get("description")))
    return send


async def work(url: str, api: str, lease: float) -> None:
    db = await open_database(url, migrate_schema=False)
    svc = Services(db=db, settings=Settings(db=url), features=Registry())
    session = aiohttp.ClientSession()
    drainer = Drainer(svc, _sender(session, api), _unreachable, lease=timedelta(seconds=lease))
    try:
        while True:
            await drainer.send_now()
            if await outbox.due_count(db, svc.now()) == 0:
                return
            await asyncio.sleep(0.05)  # rows held by another worker, or a dead one's waiting for its lease to end
    finally:
        await session.close()
        await db.close()


if __name__ == "__main__":
    asyncio.run(work(sys.argv[1], sys.argv[2], float(sys.argv[3])))
