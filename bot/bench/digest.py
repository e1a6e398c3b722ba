"""`zhibu bench digest`: the county's scheduled passes at 2,000, 20,000 and 100,000 members.

For each size (900 branches): a fresh county's start-up planning (the first tick run: theme days and their
reminders, the digests, the compliance scan …, each tick timed, per branch), then tick runs with nothing left to
do (what every minute costs once the day's work is done), and the daily digest pass on a county with months of
history in its outbox (ten rows a member: 1,000,000 at 100,000 members, one in a thousand given up on within the
day). Every run starts from the same seeded file. The real services run in process with a sender that records.

Each figure is given as wall time and as CPU time (the process's user + system, SQLite's threads included): on a
machine shared with other work the wall time mostly measures the wait for a core, the CPU time what the pass costs.
"""

from __future__ import annotations

import itertools
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import heap
from bot.bench import process
from bot.bench.startup import theme_day_rule
from bot.catalog import core_registry
from bot.scheduler import Delivery, Drainer, SendResult
from bot.services import Services, digest
from bot.settings import Settings
from storage import outbox, themeday
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
    planning_ms: list[float] = field(default_factory=list)  # the first tick run, whole (wall)
    planning_cpu_ms: list[float] = field(default_factory=list)
    ticks_runs: list[dict[str, float]] = field(default_factory=list)  # each run's first tick run, tick by tick (CPU)
    planned_rows: int = 0  # outbox rows the first run planned (each member's reminders among them)
    idle_ms: list[float] = field(default_factory=list)  # tick runs with nothing to do (wall)
    idle_cpu_ms: list[float] = field(default_factory=list)
    idle_ticks_ms: dict[str, float] = field(default_factory=dict)  # of the last idle run, tick by tick (CPU)
    digest_s: list[float] = field(default_factory=list)  # the digest pass on the county with history (wall)
    digest_cpu_s: list[float] = field(default_factory=list)
    digests_queued: int = 0

    @property
    def ticks_ms(self) -> dict[str, float]:
        """Each tick's median CPU ms over the runs."""
        return {name: statistics.median(run.get(name, 0.0) for run in self.ticks_runs) for name in self.ticks_runs[0]} \
            if self.ticks_runs else {}


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
        heap.freeze()  # as the bot does once it is up, before its first tick run
        started, cpu = time.perf_counter(), time.process_time()
        figures.ticks_runs.append(await _ticks(svc, drainer, now))
        figures.planning_ms.append((time.perf_counter() - started) * 1000)
        figures.planning_cpu_ms.append((time.process_time() - cpu) * 1000)
        figures.planned_rows = sum((await outbox.counts(db)).values())
        await drainer.drain_now()  # what the first run planned goes out
        for _ in range(idle_runs):
            began, cpu = time.perf_counter(), time.process_time()
            report = await drainer.drain_now()
            figures.idle_ms.append((time.perf_counter() - began) * 1000)
            figures.idle_cpu_ms.append((time.process_time() - cpu) * 1000)
            assert report.handled == 0, report
        if idle_runs:
            figures.idle_ticks_ms = await _ticks(svc, drainer, now)
    finally:
        await db.close()


async def _ticks(svc: Services, drainer: Drainer, now: datetime) -> dict[str, float]:
    """One tick run as the drainer makes it, each tick's CPU time in ms."""
    ticks = {}
    for tick in (*svc.features.ticks, drainer._prune):
        began = time.process_time()
        await tick(svc, now)
        ticks[getattr(tick, "__qualname__", str(tick))] = (time.process_time() - began) * 1000
    return ticks


async def _digest_pass(path: Path, now: datetime, figures: Size) -> None:
    db = await open_database(path)
    try:
        svc = _services(db, path, now)
        started, cpu = time.perf_counter(), time.process_time()
        await digest.send_due_digests(svc, now)
        figures.digest_s.append(time.perf_counter() - started)
        figures.digest_cpu_s.append(time.process_time() - cpu)
        figures.digests_queued = await _queued_digests(db)
    finally:
        await db.close()


async def _queued_digests(db: Database) -> int:
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
                print(f"  run {index + 1}: start-up planning {figures.planning_ms[-1]:.0f} ms (CPU "
                      f"{figures.planning_cpu_ms[-1]:.0f} ms), digest pass {figures.digest_s[-1]:.2f} s (CPU "
                      f"{figures.digest_cpu_s[-1]:.2f} s)", flush=True)
            for leftover in workdir.iterdir():
                leftover.unlink() if leftover.is_file() else shutil.rmtree(leftover)
            results.append(figures)
    return results


def _spread(values: list[float], digits: int = 2) -> str:
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / {max(values):.{digits}f}"


def report(results: list[Size]) -> str:
    """Goals are judged on the CPU time: the wall time on a shared machine adds the wait for a core."""
    lines = ["daily digest pass (min / median / max)",
             "members   outbox rows   wall s                  CPU s                   CPU ms per branch   goal",
             *(f"{r.members:>7}   {r.history_rows:>11}   {_spread(r.digest_s):<22}  {_spread(r.digest_cpu_s):<22}  "
               f"{statistics.median(r.digest_cpu_s) / r.branches * 1000:>17.2f}   "
               f"{_goal(statistics.median(r.digest_cpu_s), DIGEST_GOALS.get(r.members), 's')}" for r in results),
             "", "start-up planning (the first tick run on a fresh county; min / median / max)",
             "members   wall ms                 CPU ms                  CPU ms per branch"]
    for r in results:
        lines.append(f"{r.members:>7}   {_spread(r.planning_ms, 0):<22}  {_spread(r.planning_cpu_ms, 0):<22}  "
                     f"{statistics.median(r.planning_cpu_ms) / r.branches:>17.2f}")
    lines.append("start-up planning, tick by tick (median of the runs, CPU ms per branch):")
    for r in results:
        lines.append(f"  {r.members:>7}: " + _by_tick(r.ticks_ms, r.branches))
    if len(results) > 1:
        first, last = (statistics.median(r.planning_cpu_ms) / r.branches for r in (results[0], results[-1]))
        lines.append(f"start-up planning CPU per branch, {results[-1].members} vs {results[0].members} members: "
                     f"{last / first:.2f}×   (goal: flat within {FLAT:.0%}: ≤ {1 + FLAT:.2f}×: "
                     f"{'met' if last / first <= 1 + FLAT else 'NOT met'})")
        lines += _linearity(results)
    lines += ["", "tick run with nothing to do (min / median / max)", "members   wall ms                 CPU ms"]
    for r in results:
        if r.idle_ms:
            lines.append(f"{r.members:>7}   {_spread(r.idle_ms, 1):<22}  {_spread(r.idle_cpu_ms, 1):<22}")
            lines.append(f"           tick by tick (CPU ms): {_by_tick(r.idle_ticks_ms, 1)}")
    largest = results[-1]
    if largest.idle_cpu_ms:
        median = statistics.median(largest.idle_cpu_ms)
        lines.append(f"tick run with nothing to do at {largest.members} members: median CPU {median:.1f} ms   "
                     f"{_goal(median, IDLE_TICKS_GOAL_MS, 'ms')} (the goal is at 100,000 members)")
    return "\n".join(lines)


def _linearity(results: list[Size]) -> list[str]:
    """Whether the planning grows faster than the county: with the branches fixed, each member's own reminders make
    the work a branch grow with its members, so the check for a super-linear part is that each added member costs
    no more at the large sizes than at the small ones."""
    lines = ["start-up planning, what each member adds (CPU; the branches fixed, so per branch it grows with them):"]
    for r in results:
        lines.append(f"  {r.members:>7}: {r.planned_rows} outbox rows planned, "
                     f"{statistics.median(r.planning_cpu_ms) * 1000 / max(r.planned_rows, 1):.0f} µs CPU a row")
    steps = []
    for small, large in itertools.pairwise(results):
        added = (statistics.median(large.planning_cpu_ms) - statistics.median(small.planning_cpu_ms))
        steps.append(added * 1000 / (large.members - small.members))
        lines.append(f"  {small.members} → {large.members} members: {steps[-1]:.0f} µs CPU per member added")
    lines += _linearity_by_tick(results)
    if len(steps) > 1:
        lines.append(f"  per member added, last step vs first: {steps[-1] / steps[0]:.2f}×   (linear: ≤ "
                     f"{1 + FLAT:.2f}×: {'yes' if steps[-1] / steps[0] <= 1 + FLAT else 'NO'})")
    return lines


def _linearity_by_tick(results: list[Size]) -> list[str]:
    """Each tick's µs of CPU per member added, step by step: which pass grows faster than the county, if one does."""
    pairs = list(itertools.pairwise(results))
    if not pairs:
        return []
    costs = {}
    for name in results[-1].ticks_ms:
        costs[name] = [(large.ticks_ms.get(name, 0.0) - small.ticks_ms.get(name, 0.0)) * 1000
                       / (large.members - small.members) for small, large in pairs]
    steps = " / ".join(f"{small.members} → {large.members}" for small, large in pairs)
    return [f"  by tick, µs CPU per member added ({steps}): "
            + ", ".join(f"{name} {' / '.join(f'{c:.0f}' for c in cost)}" for name, cost in costs.items()
                        if max(abs(c) for c in cost) >= 0.5)]


def _by_tick(ticks: dict[str, float], per: int) -> str:
    return ", ".join(f"{name} {ms / per:.2f}" for name, ms in ticks.items() if ms / per >= 0.005)


def _goal(value: float, goal: float | None, unit: str) -> str:
    if goal is None:
        return ""
    return f"≤ {goal:g} {unit}: {'met' if value <= goal else 'NOT met'}"
