"""`zhibu bench updates`: how fast the real bot answers a burst of updates, against a bare PTB echo bot.

Both bots run as child processes against the same in-process emulator, so HTTP and JSON costs are
the same for both; the ratio shows what zhibu's own work (database, templates, authorisation) costs.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.bench import process
from bot.callbacks import members as members_cb
from bot.emulator import Emulator
from storage.bulk import seed_county
from bot.commands import commands_for
from storage import members as member_store
from storage.db import open_database


@dataclass
class Figures:
    updates: int
    seconds: float
    latencies: list[float]
    peak_rss_mb: float

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


async def _seed(db_path: Path, members: int, branches: int) -> list[tuple[int, int, list[int]]]:
    """The county, its members as they are once they have joined: active, with their command menu set."""
    db = await open_database(db_path)
    try:
        async with db.write() as tx:
            layout = await seed_county(tx, branches=branches, members=members, now=datetime.now(UTC))
            for branch_id, _, _ in layout:
                for member in await member_store.in_branch(tx, branch_id):
                    menu = ",".join(c.command for c in commands_for(member))
                    await member_store.set_menu(tx, member.id, menu)
        return layout
    finally:
        await db.close()


async def _wait_polling(emu: Emulator, proc, polls_before: int, timeout: float = 60) -> None:
    """Until the child process has asked for updates (it is then fully started)."""
    deadline = time.monotonic() + timeout
    while emu.stats["getUpdates"] <= polls_before:
        if proc.returncode is not None or time.monotonic() > deadline:
            raise RuntimeError("the bot did not start polling: " + await process.stop(proc))
        await asyncio.sleep(0.05)


def _plan(layout, count: int, seed: int) -> list[tuple[int, str]]:
    """(telegram id, action) pairs: members send /start and /help, secretaries also tap a roster button."""
    # Each person has at most one update in flight, so "their next answer" is unambiguous.
    rng = random.Random(seed)
    secretaries = [s for _, s, _ in layout]
    plain = [t for _, s, ids in layout for t in ids if t != s]
    taps = min(count // 5, len(secretaries))
    tappers = rng.sample(secretaries, taps)
    senders = rng.sample(plain, min(count - taps, len(plain)))
    plan = [(t, "tap") for t in tappers] + [(t, "/start" if i % 2 else "/help") for i, t in enumerate(senders)]
    rng.shuffle(plan)
    return plan


async def _burst(emu: Emulator, plan: list[tuple[int, str]], tap_messages: dict[int, int]) -> list[float]:
    """Send everything at once and wait for each update's answer; returns latencies in seconds."""

    async def one(telegram_id: int, action: str) -> float:
        user = emu.user(telegram_id)
        started = time.perf_counter()
        if action == "tap":
            await user.press_data(tap_messages[telegram_id], members_cb.page(0), timeout=300)
        else:
            await user.send(action)
            await user.expect(None, timeout=300)
        return time.perf_counter() - started

    return await asyncio.gather(*(one(t, a) for t, a in plan))


async def _send_wait(user, text: str) -> None:
    await user.send(text)
    await user.expect(None, timeout=120)


async def _measure(label: str, args: list[str], emu: Emulator, env: dict, cwd: Path, plan, tap_messages,
                   db: Path) -> Figures:
    polls = emu.stats["getUpdates"]
    proc = await process.start(args, env, cwd)
    try:
        await _wait_polling(emu, proc, polls)
        await process.settle(db)
        # Warm up: the first update pays for imports and caches.
        warm = emu.user(plan[0][0], "warm")
        await _send_wait(warm, "/help")
        started = time.perf_counter()
        latencies = await _burst(emu, plan, tap_messages)
        seconds = time.perf_counter() - started
        peak = process.peak_rss_mb(proc.pid)
    finally:
        errors = await process.stop(proc)
    if "Traceback" in errors:
        print(f"[{label}] the bot logged errors:\n{errors[-2000:]}")
    return Figures(len(plan), seconds, latencies, peak)


async def run(members: int, branches: int, updates: int, seed: int = 7) -> tuple[Figures, Figures]:
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        workdir = Path(tmp)
        db_path = workdir / "bench.db"
        t0 = time.perf_counter()
        layout = await _seed(db_path, members, branches)
        print(f"seeded {len(layout)} branches and {members} members in {time.perf_counter() - t0:.1f}s")
        plan = _plan(layout, updates, seed)
        async with Emulator() as emu:
            emu.record_calls = False
            for _, _, ids in layout:  # everyone has opened the bot: its messages to them arrive
                for telegram_id in ids:
                    emu.user(telegram_id)
            # Each secretary who taps gets a roster message to tap on, created by the bot itself.
            tap_messages: dict[int, int] = {}
            # Telegram would cap both bots at 30 messages/s; this measures what each can process, so zhibu's
            # own pacing is off (ZHIBU_SEND_RATE=0) as the bare echo bot has none.
            env = process.bot_env(emu, db_path, ZHIBU_SEND_RATE="0")
            proc = await process.start(["-m", "bot", "run"], env, workdir)
            try:
                await _wait_polling(emu, proc, 0)
                took = await process.settle(db_path)
                print(f"start-up work (theme days for every branch, their prompts sent) done in {took:.1f}s")
                for telegram_id in sorted({t for t, a in plan if a == "tap"}):
                    user = emu.user(telegram_id, f"S{telegram_id}")
                    await user.send("/members")
                    tap_messages[telegram_id] = (await user.expect("党员名册", timeout=60)).message_id
            finally:
                await process.stop(proc)
            zhibu = await _measure("zhibu", ["-m", "bot", "run"], emu, env, workdir, plan, tap_messages, db_path)
            echo = await _measure("echo", ["-m", "bot.bench.echo"], emu, env, workdir, plan, tap_messages, db_path)
    return zhibu, echo


def report(zhibu: Figures, echo: Figures) -> str:
    lines = [
        f"{'':14}{'updates/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'peak RSS MB':>13}",
        f"{'zhibu':14}{zhibu.per_second:>10.1f}{zhibu.percentile(50):>10.1f}{zhibu.percentile(99):>10.1f}{zhibu.peak_rss_mb:>13.1f}",
        f"{'PTB echo bot':14}{echo.per_second:>10.1f}{echo.percentile(50):>10.1f}{echo.percentile(99):>10.1f}{echo.peak_rss_mb:>13.1f}",
        f"ratio zhibu/echo (updates/s): {zhibu.per_second / echo.per_second:.2f}   (target ≥ 0.5)",
        f"zhibu peak RSS: {zhibu.peak_rss_mb:.1f} MB   (target ≤ 150 MB)",
        f"p50 latency ratio zhibu/echo: {zhibu.percentile(50) / max(echo.percentile(50), 1e-9):.2f}",
    ]
    return "\n".join(lines)
