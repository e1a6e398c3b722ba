"""`zhibu bench checkin`: check-in taps arriving at a steady rate while the reminder broadcast goes out.

Every branch has a meeting whose check-in is open; its 20,000 "check-in is open" reminders are due at once, so the
bot sends them at Telegram's 30 msg/s (the emulator enforces it, as Telegram does). Meanwhile members tap 签到 at
`rate` taps a second (open loop: a tap does not wait for the previous one's answer). Each tap is timed to its toast
(answerCallbackQuery) and to the "签到成功" message. The same taps then go to the bare PTB echo bot (its tap handler
answers, then sends a message; no broadcast, no pacing: the yardstick). Three runs by default, each on the county
as seeded, with min/median/max of the toast's p99.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.bench import county, process
from bot.bench.updates import percentile, spread, wait_polling
from bot.callbacks import meetings as meetings_cb
from bot.emulator import Emulator
from storage.db import open_database

TOAST_TARGET_MS = 100.0
REMINDER_MARK = "现在可以签到了"


@dataclass
class Figures:
    taps: int
    toasts: list[float]
    messages: list[float]
    reminders_during: int  # reminders delivered while the taps came in
    seconds: float
    rate_limited: int
    peak_rss_mb: float = 0.0

    def p(self, which: list[float], q: float) -> float:
        return percentile(which, q)


async def _prepare(db_path: Path, members: int, branches: int) -> tuple[list, dict[int, int]]:
    db = await open_database(db_path)
    try:
        layout, by_branch, _ = await county.prepare(db, db_path, members, branches, reminders=True)
        return layout, by_branch
    finally:
        await db.close()


async def _taps(emu: Emulator, plan: list[tuple[int, str]], rate: float, reply_mark) -> tuple[list, list]:
    """Push the taps `rate` a second, open loop; time each to its toast and to its message (the text that
    `reply_mark(data)` names)."""
    toasts: list[float] = []
    messages: list[float] = []

    async def one(telegram_id: int, data: str) -> None:
        user = emu.user(telegram_id)
        started = time.perf_counter()
        answer = asyncio.ensure_future(user.press_data(0, data, timeout=600))
        answer.add_done_callback(lambda _: toasts.append(time.perf_counter() - started))
        await user.expect(reply_mark(data), timeout=600)
        messages.append(time.perf_counter() - started)
        await answer

    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = []
    for index, (telegram_id, data) in enumerate(plan):
        await asyncio.sleep(max(0.0, start + index / rate - loop.time()))
        tasks.append(asyncio.create_task(one(telegram_id, data)))
    await asyncio.gather(*tasks)
    return toasts, messages


def _reminders(emu: Emulator, after: int) -> tuple[int, int]:
    """(reminders delivered since timeline position `after`, the newest position)."""
    new = emu.timeline(after)
    return sum(1 for m in new if m.from_bot and m.version == 0 and REMINDER_MARK in m.plain), (new[-1].seq if new
                                                                                                else after)


async def _measure(label: str, args: list[str], emu: Emulator, env: dict, cwd: Path, plan, rate: float, reply_mark,
                   wait_for_broadcast: bool) -> Figures:
    polls = emu.stats["getUpdates"]
    limited = emu.stats["429"]
    proc = await process.start(args, env, cwd)
    try:
        await wait_polling(emu, proc, polls)
        seen = emu.timeline()[-1].seq if emu.timeline() else 0
        if wait_for_broadcast:  # the taps come while the reminders go out
            while not _reminders(emu, seen)[0]:
                await asyncio.sleep(0.1)
        _, mark = _reminders(emu, seen)
        started = time.perf_counter()
        toasts, messages = await _taps(emu, plan, rate, reply_mark)
        seconds = time.perf_counter() - started
        during, _ = _reminders(emu, mark)
        peak = process.peak_rss_mb(proc.pid)
    finally:
        errors = await process.stop(proc)
    if "Traceback" in errors:
        print(f"[{label}] the bot logged errors:\n{errors[-2000:]}")
    return Figures(len(plan), toasts, messages, during, seconds, emu.stats["429"] - limited, peak)


async def run(members: int, branches: int, rate: float, seconds: float, runs: int = 3,
              seed: int = 11) -> tuple[list[Figures], list[Figures]]:
    """`runs` runs of the same taps, each on the county as seeded (the broadcast due again); the echo bot after
    each."""
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        workdir = Path(tmp)
        db_path, pristine = workdir / "bench.db", workdir / "pristine.db"
        t0 = time.perf_counter()
        layout, by_branch = await _prepare(db_path, members, branches)
        shutil.copyfile(db_path, pristine)
        print(f"seeded {len(layout)} branches, {members} members, a meeting each with check-in open "
              f"in {time.perf_counter() - t0:.1f}s")
        rng = random.Random(seed)
        people = [(t, by_branch[b]) for b, s, ids in layout for t in ids if t != s]
        taps = [(t, meetings_cb.checkin(m)) for t, m in rng.sample(people, min(len(people), int(rate * seconds)))]
        zhibu, echo = [], []
        async with Emulator(rate_limit=True) as emu:
            emu.record_calls = False
            flood = emu.flood
            for _, _, ids in layout:
                for telegram_id in ids:
                    emu.user(telegram_id)
            env = process.bot_env(emu, db_path)  # production pacing: ZHIBU_SEND_RATE's default
            for index in range(runs):
                process.restore(pristine, db_path)
                emu.flood = flood
                zhibu.append(await _measure("zhibu", ["-m", "bot", "run"], emu, env, workdir, taps, rate,
                                            lambda data: "签到成功", wait_for_broadcast=True))
                emu.flood = None  # the echo bot has no pacing of its own: it would only collect 429s
                echo.append(await _measure("echo", ["-m", "bot.bench.echo"], emu, env, workdir, taps, rate,
                                           lambda data: data, wait_for_broadcast=False))
                print(f"  run {index + 1}: zhibu toast p99 {zhibu[-1].p(zhibu[-1].toasts, 99):.1f} ms, "
                      f"echo toast p99 {echo[-1].p(echo[-1].toasts, 99):.1f} ms", flush=True)
    return zhibu, echo


def report(zhibu: list[Figures], echo: list[Figures], rate: float) -> str:
    def row(name: str, f: Figures) -> str:
        return (f"{name:16}{f.p(f.toasts, 50):>10.1f}{f.p(f.toasts, 99):>10.1f}"
                f"{f.p(f.messages, 50):>12.1f}{f.p(f.messages, 99):>12.1f}{f.reminders_during:>11}"
                f"{f.rate_limited:>6}")

    toast_p99 = [z.p(z.toasts, 99) for z in zhibu]
    faster = [e.p(e.toasts, 99) / z.p(z.toasts, 99) for z, e in zip(zhibu, echo, strict=True)]
    lines = [f"{zhibu[0].taps} check-in taps at {rate:.0f}/s (open loop) while the reminder broadcast runs; "
             f"{len(zhibu)} runs",
             f"{'':16}{'toast p50':>10}{'toast p99':>10}{'message p50':>12}{'message p99':>12}{'reminders':>11}"
             f"{'429s':>6}   (ms)"]
    for index, (z, e) in enumerate(zip(zhibu, echo, strict=True)):
        lines += [row(f"zhibu {index + 1}", z), row(f"PTB echo {index + 1}", e)]
    return "\n".join(lines + [
        "(the echo bot: no broadcast, stock PTB pacing, one update at a time; reminders = delivered while the taps "
        "came)",
        f"zhibu toast p99: {spread(toast_p99, 1)} ms   (target ≤ {TOAST_TARGET_MS:.0f} ms while the broadcast runs)",
        f"echo/zhibu toast p99 (how many times sooner zhibu answers): {spread(faster, 0)}",
        f"zhibu peak RSS: {max(z.peak_rss_mb for z in zhibu):.1f} MB   (target ≤ 150 MB)",
    ])
