"""`zhibu bench counties`: a deployment of many county bots on one machine, one process per county.

Each county is seeded apart (its own SQLite file, its own bot token on the one emulator, which enforces Telegram's
30 msg/s per bot and 20/min per group). Every run:
1. the county processes start and settle: their resident memory **at rest** is read (VmRSS);
2. at the same minute every branch of every county gets a meeting whose check-in opens now, with every member's
   "现在可以签到了" reminder due (written into each county's file, as a planner would, by a process of its own and
   ten branches a write: bot/bench/open_checkins.py): ten broadcasts at once;
3. while they go out, members of every county tap 签到 (open loop, `rate` taps a second per county), each tap timed
   to its toast (answerCallbackQuery);
4. when the broadcasts are through: each bot's sends per second over its broadcast, its 429s, and each process's
   peak memory (VmHWM) and CPU time.
Min/median/max over the runs, each from the counties as seeded. The machine's load average is printed with them.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.bench import county, open_checkins, process
from bot.bench.updates import percentile, spread, wait_polling
from bot.callbacks import meetings as meetings_cb
from bot.emulator import Emulator
from storage.db import open_database

TOAST_TARGET_MS = 200.0
RATE_TARGET = 0.95 * 30
REMINDER_MARK = "现在可以签到了"
SETTLE_SECONDS = 3.0


@dataclass
class County:
    name: str
    token: str
    db: Path
    pristine: Path
    layout: list = field(default_factory=list)
    meetings: dict[int, int] = field(default_factory=dict)  # branch → meeting


@dataclass
class Run:
    rest_mb: list[float]  # per process
    peak_mb: list[float]
    cpu_s: list[float]
    toasts: list[float]
    rates: list[float]  # sends a second per bot over its broadcast
    limited: list[int]  # 429s per bot
    reminders: list[int]
    sends: list[int]  # messages each bot sent in the run (reminders, toasts' messages …)
    seconds: float
    load: tuple[float, float, float]
    held_s: float = 0.0  # the longest write the bench itself held on a county's file


async def _seed(c: County, members: int, branches: int) -> None:
    db = await open_database(c.db)
    try:
        c.layout, c.meetings, _ = await county.prepare(db, c.db, members, branches, reminders=False)
    finally:
        await db.close()
    shutil.copyfile(c.db, c.pristine)


async def _open_checkins(counties: list[County], workdir: Path) -> list[tuple[int, float]]:
    """Every county's check-ins opened, one county after another, by a process of its own
    (bot/bench/open_checkins.py says why): (reminders planned, longest write held in s) per county."""
    args = [open_checkins.argument(c.db, list(c.meetings.values())) for c in counties]
    child = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.bench.open_checkins", *args,
                                                 cwd=str(workdir), stdout=asyncio.subprocess.PIPE)
    out, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"opening the check-ins failed (exit code {child.returncode})")
    return [(int(planned), float(held)) for planned, held in (line.split() for line in out.decode().splitlines())]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_s(pid: int) -> float:
    import psutil

    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def _taps(bots: list[Emulator], counties: list[County], rate: float, seconds: float,
                rng: random.Random) -> list[float]:
    """`rate` taps a second into each county for `seconds`, open loop; the seconds from each tap to its toast."""
    toasts: list[float] = []

    async def one(bot: Emulator, telegram_id: int, data: str) -> None:
        started = time.perf_counter()
        await bot.user(telegram_id).press_data(0, data, timeout=600)
        toasts.append(time.perf_counter() - started)

    plans = []
    for bot, c in zip(bots, counties, strict=True):
        people = [(t, c.meetings[b]) for b, s, ids in c.layout for t in ids if t != s]
        plans.append([(bot, t, meetings_cb.checkin(m)) for t, m in rng.sample(people, int(rate * seconds))])
    loop = asyncio.get_running_loop()
    start, tasks = loop.time(), []
    for index in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, start + index / rate - loop.time()))
        tasks += [asyncio.create_task(one(*plan[index])) for plan in plans]
    await asyncio.gather(*tasks)
    return toasts


def _broadcast(bot: Emulator, since: float) -> tuple[int, float]:
    """(reminders delivered, sends a second from the first to the last send) of the bot since `since`."""
    sends = [c.at for c in bot.calls if c.at >= since and c.ok and c.method == "sendMessage"]
    reminders = sum(1 for m in bot.timeline() if m.from_bot and REMINDER_MARK in m.plain)
    if len(sends) < 2:
        return reminders, 0.0
    return reminders, (len(sends) - 1) / (max(sends) - min(sends))


async def _until_quiet(bots: list[Emulator], timeout: float, quiet: float = 5.0) -> None:
    """Until no bot has sent anything for `quiet` seconds: every broadcast is through."""
    deadline = time.monotonic() + timeout
    counts, calm_since = None, time.monotonic()
    while time.monotonic() < deadline:
        now = [b.stats["sendMessage"] for b in bots]
        if now != counts:
            counts, calm_since = now, time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            return
        await asyncio.sleep(0.5)


async def _run(emu: Emulator, bots: list[Emulator], counties: list[County], workdir: Path, rate: float,
               seconds: float, rng: random.Random) -> Run:
    procs = []
    for bot, c in zip(bots, counties, strict=True):
        process.restore(c.pristine, c.db)
        bot.calls.clear()
        bot._timeline.clear()
        env = process.bot_env(bot, c.db, ZHIBU_DRAIN_INTERVAL="2")
        procs.append(await process.start(["-m", "bot", "run"], env, workdir))
    try:
        for bot, proc in zip(bots, procs, strict=True):
            await wait_polling(bot, proc, 0, timeout=300)  # ten start-ups share two cores
        await asyncio.sleep(SETTLE_SECONDS)
        rest = [_rss_mb(p.pid) for p in procs]
        cpu_before = [_cpu_s(p.pid) for p in procs]
        since = time.time()
        started = time.perf_counter()
        opened = await _open_checkins(counties, workdir)
        expected = [n for n, _ in opened]
        while not all(_broadcast(b, since)[0] for b in bots):  # every county's broadcast has begun
            await asyncio.sleep(0.1)
        toasts = await _taps(bots, counties, rate, seconds, rng)
        await _until_quiet(bots, timeout=max(expected) / 30 * 3 + 60)
        took = time.perf_counter() - started - 5.0  # the quiet spell that ends the wait is not part of it
        found = [_broadcast(b, since) for b in bots]
        peak = [process.peak_rss_mb(p.pid) for p in procs]
        cpu = [_cpu_s(p.pid) - before for p, before in zip(procs, cpu_before, strict=True)]
    finally:
        errors = [await process.stop(p) for p in procs]
    for index, text in enumerate(errors):
        if "Traceback" in text:
            print(f"[county {index + 1}] the bot logged errors:\n{text[text.index('Traceback'):][:3000]}")
    return Run(rest, peak, cpu, toasts, [r for _, r in found], [b.stats["429"] for b in bots],
               [n for n, _ in found], [b.stats["sendMessage"] for b in bots], took, os.getloadavg(),
               max(held for _, held in opened))


async def run(counties_count: int, members: int, branches: int, rate: float, seconds: float, runs: int = 3,
              seed: int = 23) -> list[Run]:
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-counties-") as tmp:
        workdir = Path(tmp)
        counties = [County(f"c{i:02d}", f"{710000 + i}:bench-county-{i:02d}", workdir / f"zhibu-c{i:02d}.db",
                           workdir / f"pristine-c{i:02d}.db") for i in range(1, counties_count + 1)]
        t0 = time.perf_counter()
        for c in counties:
            await _seed(c, members, branches)
        print(f"seeded {counties_count} counties × {members} members in {branches} branches each "
              f"in {time.perf_counter() - t0:.1f}s; load average {_load()}", flush=True)
        rng = random.Random(seed)
        done = []
        async with Emulator(counties[0].token, "bench_c01_bot", rate_limit=True) as emu:
            bots = [emu] + [emu.add_bot(c.token, f"bench_{c.name}_bot") for c in counties[1:]]
            for bot, c in zip(bots, counties, strict=True):
                for _, _, ids in c.layout:
                    for telegram_id in ids:
                        bot.user(telegram_id)
            for index in range(runs):
                for bot in bots:
                    bot.stats.clear()
                done.append(await _run(emu, bots, counties, workdir, rate, seconds, rng))
                r = done[-1]
                print(f"  run {index + 1}: toast p99 {percentile(r.toasts, 99):.0f} ms, slowest bot "
                      f"{min(r.rates):.1f} msg/s, 429s {sum(r.limited)}, rest {sum(r.rest_mb):.0f} MB, "
                      f"peak {sum(r.peak_mb):.0f} MB, bench's longest write {r.held_s:.2f} s, load {_load(r.load)}",
                      flush=True)
    return done


def _load(load: tuple[float, float, float] | None = None) -> str:
    one, five, fifteen = load or os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def report(runs: list[Run], counties: int, members: int, rate: float) -> str:
    p99 = [percentile(r.toasts, 99) for r in runs]
    lines = [
        f"{counties} county bots × {members} members, one process each, on one emulator (30 msg/s per bot "
        f"enforced); every county's check-in reminders due at the same minute, {rate:g} 签到 taps/s per county "
        f"meanwhile; {len(runs)} runs",
        f"RSS total at rest (MB):      {spread([sum(r.rest_mb) for r in runs], 0)}",
        f"RSS per county at rest (MB): {spread([statistics.median(r.rest_mb) for r in runs], 1)} (median county), "
        f"largest {max(max(r.rest_mb) for r in runs):.1f}",
        f"RSS total at peak (MB):      {spread([sum(r.peak_mb) for r in runs], 0)}",
        f"RSS per county at peak (MB): {spread([statistics.median(r.peak_mb) for r in runs], 1)} (median county), "
        f"largest {max(max(r.peak_mb) for r in runs):.1f}",
        f"toast p50 (ms):              {spread([percentile(r.toasts, 50) for r in runs], 0)}",
        f"toast p99 (ms):              {spread(p99, 0)}   (goal ≤ {TOAST_TARGET_MS:.0f})",
        f"sends/s, slowest bot:        {spread([min(r.rates) for r in runs], 1)}   (goal ≥ {RATE_TARGET:.1f})",
        f"sends/s, median bot:         {spread([statistics.median(r.rates) for r in runs], 1)}",
        f"429s, worst bot:             {spread([max(r.limited) for r in runs], 0)}   (goal 0)",
        f"reminders delivered per bot: {spread([min(r.reminders) for r in runs], 0)} (fewest)",
        f"CPU s per county per run:    {spread([statistics.median(r.cpu_s) for r in runs], 1)} (median), "
        f"all counties {spread([sum(r.cpu_s) for r in runs], 1)}; wall {spread([r.seconds for r in runs], 1)} s",
        f"CPU ms per message sent:     {spread([sum(r.cpu_s) * 1000 / max(sum(r.sends), 1) for r in runs], 2)} "
        f"(all of a county process's work in the run over its sends: what 30 msg/s costs a bot in CPU)",
        f"load average after each run: {'; '.join(_load(r.load) for r in runs)} (2 cores shared)",
    ]
    return "\n".join(lines)
