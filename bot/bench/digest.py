"""`zhibu bench digest`: the county's scheduled passes at 2,000, 20,000 and 100,000 members.

For each size (900 branches): a fresh county's start-up planning (the first tick run: theme days and their
reminders, the digests, the compliance scan …, each tick timed, per branch), then tick runs with nothing left to
do (what every minute costs once the day's work is done), and the daily digest pass on a county with months of
history in its outbox (ten rows a member: 1,000,000 at 100,000 members, one in a thousand given up on within the
day). Every run starts from the same seeded file. The real services run in process with a sender that records.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.bench import process
from bot.bench.startup import theme_day_rule
from bot.catalog import core_registry
from bot.scheduler import Delivery, Drainer, SendResult
from bot.services import Services, digest
from bot.settings import Settings
from storage import themeday
from storage.bulk import fill_history, seed_county
from storage.db import Database, open_database

SIZES = (2_000, 20_000, 100_000)
HISTORY_PER_MEMBER = 10
DIGEST_GOALS = {20_000: 1.0, 100_000: 5.0}  # seconds for the whole pass
IDLE_TICKS_GOAL_MS = 50.0  # at 100,000 members
FLAT = 0.20  # start-up planning per branch may grow this much from the smallest size to the largest


@dataclass
class Size:
    members: int
    branches: int
    history_rows: int = 0
    planning_ms: list[float] = field(default_factory=list)  # the first tick run, whole
    ticks_ms: dict[str, float] = field(default_factory=dict)  # of the first run, tick by tick
    idle_ms: list[float] = field(default_factory=list)  # tick runs with nothing to do
    digest_s: list[float] = field(default_factory=list)  # the digest pass on the county with history
    digests_queued: int = 0


async def _sent(chat_id, message) -> SendResult:
    return SendResult(Delivery.SENT, message_id=1)


async def _unreachable(*args) -> None:
    raise AssertionError("every send succeeds, so nobody is found unreachable")


def _morning(tz: str) -> datetime:
    """Today 09:00 in the county's time zone: past every branch's default digest time (08:30), before quiet hours."""
    local = datetime.now(ZoneInfo(tz)).replace(hour=9, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)


async def _seed(path: Path, members: int, branches: int, now: datetime, history: int) -> None:
    """The county; with `history`, that many outbox rows. A theme day is due to be created today whatever the
    date (as in `zhibu bench startup`), so the start-up planning is the same work on any day."""
    rule = theme_day_rule(now, Settings.model_fields["tz"].default)
    db = await open_database(path)
    try:
        async with db.write() as tx:
            layout = await seed_county(tx, branches=branches, members=members, now=now - timedelta(days=40))
            for branch_id, _, _ in layout if rule is not None else ():
                await themeday.save_settings(tx, branch_id, rule, now)
            if history:
                await fill_history(tx, rows=history, now=now, sent_at=now - timedelta(days=2),
                                   due_later=now + timedelta(days=7))
    finally:
        await db.close()


class FixedClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def _services(db: Database, path: Path, now: datetime) -> Services:
    return Services(db=db, settings=Settings(db=path), features=core_registry(), clock=FixedClock(now))


async def _planning(path: Path, now: datetime, figures: Size, idle_runs: int) -> None:
    """The first tick run on the fresh county, tick by tick, then tick runs with nothing to do."""
    db = await open_database(path)
    try:
        svc = _services(db, path, now)
        drainer = Drainer(svc, _sent, _unreachable)
        ticks = {}
        started = time.perf_counter()
        for tick in (*svc.features.ticks, drainer._prune):
            began = time.perf_counter()
            await tick(svc, now)
            ticks[getattr(tick, "__qualname__", str(tick))] = (time.perf_counter() - began) * 1000
        figures.planning_ms.append((time.perf_counter() - started) * 1000)
        figures.ticks_ms = ticks
        await drainer.drain_now()  # what the first run planned goes out
        for _ in range(idle_runs):
            began = time.perf_counter()
            report = await drainer.drain_now()
            figures.idle_ms.append((time.perf_counter() - began) * 1000)
            assert report.handled == 0, report
    finally:
        await db.close()


async def _digest_pass(path: Path, now: datetime, figures: Size) -> None:
    db = await open_database(path)
    try:
        svc = _services(db, path, now)
        started = time.perf_counter()
        await digest.send_due_digests(svc, now)
        figures.digest_s.append(time.perf_counter() - started)
        figures.digests_queued = await _queued_digests(db)
    finally:
        await db.close()


async def _queued_digests(db: Database) -> int:
    from storage import outbox

    return len(await outbox.by_prefix(db, "digest:"))


async def run(sizes: tuple[int, ...], branches: int, runs: int, idle_runs: int = 9) -> list[Size]:
    now = _morning(Settings.model_fields["tz"].default)
    results = []
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        workdir = Path(tmp)
        for members in sizes:
            figures = Size(members, branches, members * HISTORY_PER_MEMBER)
            fresh, history, live = workdir / "fresh.db", workdir / "history.db", workdir / "bench.db"
            started = time.perf_counter()
            await _seed(fresh, members, branches, now, 0)
            await _seed(history, members, branches, now, figures.history_rows)
            print(f"seeded {branches} branches and {members} members, and a copy with {figures.history_rows} "
                  f"outbox rows, in {time.perf_counter() - started:.1f}s", flush=True)
            for index in range(runs):
                process.restore(fresh, live)
                await _planning(live, now, figures, idle_runs if index == 0 else 0)
                process.restore(history, live)
                await _digest_pass(live, now, figures)
                print(f"  run {index + 1}: start-up planning {figures.planning_ms[-1]:.0f} ms, digest pass "
                      f"{figures.digest_s[-1]:.2f} s", flush=True)
            for leftover in workdir.iterdir():
                leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
            results.append(figures)
    return results


def _spread(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def report(results: list[Size]) -> str:
    lines = ["members   outbox rows   digest pass s (min / median / max)   per branch ms   goal",
             *(f"{r.members:>7}   {r.history_rows:>11}   {_spread(r.digest_s):>34}   "
               f"{statistics.median(r.digest_s) / r.branches * 1000:>13.2f}   "
               f"{_goal(statistics.median(r.digest_s), DIGEST_GOALS.get(r.members), 's')}" for r in results),
             "", "members   start-up planning ms (min / median / max)   per branch ms   "
                 "tick run with nothing to do ms (min / median / max)"]
    for r in results:
        idle = _spread(r.idle_ms) if r.idle_ms else "-"
        lines.append(f"{r.members:>7}   {_spread(r.planning_ms, 0):>40}   "
                     f"{statistics.median(r.planning_ms) / r.branches:>13.2f}   {idle:>20}")
    lines.append("start-up planning, tick by tick (first run, ms per branch):")
    for r in results:
        lines.append(f"  {r.members:>7}: " + ", ".join(f"{name} {ms / r.branches:.2f}"
                                                        for name, ms in r.ticks_ms.items() if ms >= 0.5))
    if len(results) > 1:
        first, last = (statistics.median(r.planning_ms) / r.branches for r in (results[0], results[-1]))
        lines.append(f"start-up planning per branch, {results[-1].members} vs {results[0].members} members: "
                     f"{last / first:.2f}×   (goal: flat within {FLAT:.0%}: ≤ {1 + FLAT:.2f}×)")
    largest = results[-1]
    if largest.idle_ms:
        lines.append(f"tick run with nothing to do at {largest.members} members: median "
                     f"{statistics.median(largest.idle_ms):.1f} ms   (goal ≤ {IDLE_TICKS_GOAL_MS:.0f} ms at 100,000)")
    return "\n".join(lines)


def _goal(value: float, goal: float | None, unit: str) -> str:
    if goal is None:
        return ""
    return f"≤ {goal:g} {unit}: {'met' if value <= goal else 'NOT met'}"
