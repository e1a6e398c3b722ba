"""`zhibu bench broadcast`: a notice to every member of every branch, through the real bot, at Telegram's pace.

The emulator enforces 30 messages/s (and 20/min per group) and answers 429 beyond that, as Telegram does.
Each branch's secretary sends a notice through the same use case /notice runs; then the real bot (a child
process) delivers the outbox. We count what arrived: how fast, how many 429s, any duplicate, any loss.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.bench import pg_server, process
from bot.bench.updates import spread
from bot.catalog import core_registry
from bot.emulator import Emulator
from bot.services import Services, notices
from bot.settings import Settings
from storage.bulk import seed_county
from storage.db import is_postgresql, open_database

MARK = "县委通知（压力测试）"
LIMIT = 30.0
WINDOW = 30.0  # seconds: the steadiness of the rate is shown as min/median/max over such spans


@dataclass
class Figures:
    expected: int
    delivered: int
    sent_in_window: int  # every message the bot sent while the notices went out (theme-day prompts too)
    seconds: float
    rate_limited: int
    duplicates: int
    lost: int
    peak_rss_mb: float
    startup_seconds: float  # from starting the bot to its first notice: the start-up work it waited for
    window_rates: list[float]  # notices/s in each full WINDOW-second span from the first notice on

    @property
    def per_second(self) -> float:
        return self.sent_in_window / self.seconds if self.seconds else 0.0


async def _prepare(db_path: Path | str, members: int, branches: int) -> tuple[list, int]:
    """Seed the county (no quiet hours, so the clock of the run does not matter) and queue every notice."""
    db = await open_database(db_path)
    try:
        async with db.write() as tx:
            layout = await seed_county(tx, branches=branches, members=members, now=datetime.now(UTC),
                                       settings_json=json.dumps({"quiet_start": "00:00", "quiet_end": "00:00"}))
        svc = Services(db=db, settings=Settings(db=db_path), features=core_registry())
        expected = 0
        for _, secretary, _ in layout:
            await notices.begin(svc, secretary)
            draft = await notices.draft(svc, secretary, f"{MARK}：请各位党员本周内完成学习。", None, None)
            expected += (await notices.send(svc, secretary, draft.id)).recipients
        return layout, expected
    finally:
        await db.close()


async def run(members: int, branches: int, stall: float = 60.0, db: str = "sqlite") -> Figures:
    """`db`: "sqlite" (a file in a temporary folder), "postgresql" (a private server, bot/bench/pg_server.py) or the
    URL of an empty PostgreSQL database the bench may fill."""
    if db == "postgresql":
        server = pg_server.start_server()
        try:
            return await run(members, branches, stall, server.create())
        finally:
            server.stop()
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        workdir = Path(tmp)
        db_path: Path | str = db if is_postgresql(db) else workdir / "bench.db"
        t0 = time.perf_counter()
        layout, expected = await _prepare(db_path, members, branches)
        print(f"seeded {len(layout)} branches, {members} members; {expected} notices queued "
              f"in {time.perf_counter() - t0:.1f}s")
        async with Emulator(rate_limit=True) as emu:
            emu.record_calls = False
            for _, _, ids in layout:
                for telegram_id in ids:
                    emu.user(telegram_id)
            launched = time.perf_counter()
            proc = await process.start(["-m", "bot", "run"], process.bot_env(emu, db_path), workdir)
            try:
                (first_at, first), (last_at, last), arrivals = await _watch(emu, expected, stall)
                peak = process.peak_rss_mb(proc.pid)
            finally:
                errors = await process.stop(proc)
            if "Traceback" in errors:
                print(f"the bot logged errors:\n{errors[-3000:]}")
            sent = [m for m in emu.timeline() if m.from_bot and m.version == 0]
            copies = Counter(m.chat_id for m in sent if MARK in m.plain)
            window = sum(1 for m in sent if first <= m.seq <= last)
            recipients = {t for _, s, ids in layout for t in ids if t != s}
            duplicates = sum(n - 1 for n in copies.values() if n > 1)
            lost = len(recipients - set(copies))
            return Figures(expected, len(arrivals), window, (last_at - first_at) if last_at else 0.0,
                           emu.stats["429"], duplicates, lost, peak,
                           (first_at - launched) if first_at else float("nan"), window_rates(arrivals))


def window_rates(arrivals: list[float]) -> list[float]:
    """Notices per second in each full WINDOW-second span after the first notice (the last, partial one left out)."""
    if not arrivals:
        return []
    spans = int((arrivals[-1] - arrivals[0]) // WINDOW)
    counts = [0] * spans
    for at in arrivals:
        index = int((at - arrivals[0]) // WINDOW)
        if index < spans:
            counts[index] += 1
    return [count / WINDOW for count in counts]


async def _watch(emu: Emulator, expected: int, stall: float,
                 startup: float = 900.0) -> tuple[tuple[float, int], tuple[float, int], list[float]]:
    """Wait until every notice arrived, or nothing arrived for `stall` seconds (`startup` for the first one: the
    bot plans the county's theme days before it drains).

    Returns (time, seq) of the first and of the last notice seen, and when each arrived (to the half second)."""
    started = time.perf_counter()
    first = last = 0.0
    first_seq = last_seq = 0
    count = seen = 0
    arrivals: list[float] = []
    while count < expected:
        new = emu.timeline(seen)
        if new:
            seen = new[-1].seq
        notices_now = [m for m in new if m.from_bot and m.version == 0 and MARK in m.plain]
        fresh = len(notices_now)
        now = time.perf_counter()
        if fresh:
            first = first or now
            first_seq = first_seq or notices_now[0].seq
            last, last_seq = now, notices_now[-1].seq
            if count // 3000 != (count + fresh) // 3000:
                print(f"  {count + fresh}/{expected} delivered, {(count + fresh) / max(now - first, 1e-9):.1f}/s, "
                      f"{emu.stats['429']} × 429", flush=True)
            count += fresh
            arrivals += [now] * fresh
        elif (last and now - last > stall) or (not last and now - started > startup):
            break
        await asyncio.sleep(0.5)
    return (first, first_seq), (last, last_seq), arrivals


def report(figures: Figures) -> str:
    return "\n".join([
        f"notices expected: {figures.expected}, delivered: {figures.delivered}; the bot sent {figures.sent_in_window}"
        f" messages in those {figures.seconds:.1f}s (notices and everything else due meanwhile)",
        f"messages/s: {figures.per_second:.2f}   ratio to {LIMIT:.0f}/s: {figures.per_second / LIMIT:.3f}"
        f"   (target ≥ 0.95)",
        f"notices/s per {WINDOW:.0f}s span: "
        + (spread(figures.window_rates, 1) if figures.window_rates else "n/a (the run was shorter than one span)"),
        f"429 received: {figures.rate_limited}",
        f"duplicates: {figures.duplicates}   losses: {figures.lost}   (must be 0 and 0)",
        f"start-up before the first notice: {figures.startup_seconds:.1f}s (the county's theme days planned first)",
        f"bot peak RSS: {figures.peak_rss_mb:.1f} MB, start-up included   (target ≤ 150 MB)",
    ])
