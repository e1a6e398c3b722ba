"""`zhibu bench updates`: how fast the real bot answers a burst of everyday updates, against a bare PTB echo bot.

The burst is what a county's members do in a busy moment: tap 签到 on an open meeting, answer a form (a leave
reason), a secretary approves a leave request, and reads (/start, /help, the roster's page). Both bots run as
child processes against the same in-process emulator with the production pacing (ZHIBU_SEND_RATE's default for
zhibu, PTB's stock AIORateLimiter at the same rate for the echo bot), in alternating pairs; the ratio of their
rates shows what zhibu's own work (database, templates, authorisation) costs when Telegram's limits apply.
"""

from __future__ import annotations

import asyncio
import random
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.bench import county, process
from bot.callbacks import meetings as meetings_cb
from bot.callbacks import members as members_cb
from bot.callbacks import review as review_cb
from bot.emulator import Emulator
from bot.services import attendance as meeting_service
from storage import members, submissions
from storage.db import open_database

RATIO_TARGET = 0.8
REASON = "家中有事，请假一次"


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
        return percentile(self.latencies, p)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile of `values` (seconds) in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


@dataclass
class Step:
    """One person's update in the burst, and what answers it from zhibu and from the echo bot."""
    telegram_id: int
    kind: str  # checkin | leave_reason | approve | roster | /start | /help
    data: str | None = None  # callback data of a tap
    message_id: int = 0  # the message tapped on


async def _seed(db_path: Path, members_count: int, branches: int, count: int, seed: int) -> list[Step]:
    """The county, and a burst of `count` steps over distinct people: 30 % check-in taps, 10 % leave reasons
    (their form opened beforehand), 10 % approvals (a leave request waiting for each of those secretaries),
    10 % roster taps, the rest /start and /help."""
    rng = random.Random(seed)
    db = await open_database(db_path)
    try:
        layout, by_branch, svc = await county.prepare(db, db_path, members_count, branches, reminders=False)
        secretaries = [(s, b) for b, s, _ in layout]
        plain = [(t, b) for b, s, ids in layout for t in ids if t != s]
        rng.shuffle(secretaries)
        rng.shuffle(plain)
        approvers, readers = secretaries[: count // 10], secretaries[count // 10 : count // 10 + count // 10]
        steps: list[Step] = []
        for secretary, branch_id in approvers:  # one member of their branch asked for leave
            asker = next(t for t, b in plain if b == branch_id)
            plain.remove((asker, branch_id))
            await meeting_service.begin_leave(svc, asker, by_branch[branch_id])
            await meeting_service.submit_leave(svc, asker, by_branch[branch_id], REASON)
            member = await members.by_telegram_id(db, asker)
            request = await submissions.find(db, "leave", meeting_service.ref_of(by_branch[branch_id]), member.id)
            steps.append(Step(secretary, "approve", review_cb.approve(request.id, request.version)))
        steps += [Step(s, "roster", members_cb.page(0)) for s, _ in readers]
        taps, forms = plain[: count * 3 // 10], plain[count * 3 // 10 : count * 4 // 10]
        steps += [Step(t, "checkin", meetings_cb.checkin(by_branch[b])) for t, b in taps]
        for telegram_id, branch_id in forms:
            await meeting_service.begin_leave(svc, telegram_id, by_branch[branch_id])
            steps.append(Step(telegram_id, "leave_reason"))
        rest = plain[count * 4 // 10 : count * 4 // 10 + count - len(steps)]
        steps += [Step(t, "/start" if i % 2 else "/help") for i, (t, _) in enumerate(rest)]
        rng.shuffle(steps)
        return steps
    finally:
        await db.close()


async def wait_polling(emu: Emulator, proc, polls_before: int, timeout: float = 60) -> None:
    """Until the child process has asked for updates (it is then fully started)."""
    deadline = time.monotonic() + timeout
    while emu.stats["getUpdates"] <= polls_before:
        if proc.returncode is not None or time.monotonic() > deadline:
            raise RuntimeError("the bot did not start polling: " + await process.stop(proc))
        await asyncio.sleep(0.05)


async def _one(emu: Emulator, step: Step, echo: bool) -> float:
    user = emu.user(step.telegram_id)
    started = time.perf_counter()
    if step.data is not None:
        answer = user.press_data(step.message_id, step.data, timeout=600)
        if step.kind == "checkin":  # the toast, then the message saying so
            await asyncio.gather(answer, user.expect(step.data if echo else "签到成功", timeout=600))
        else:
            await answer
    else:
        await user.send(REASON if step.kind == "leave_reason" else step.kind)
        await user.expect(None if echo or step.kind != "leave_reason" else "请假申请已提交", timeout=600)
    return time.perf_counter() - started


async def _measure(label: str, args: list[str], emu: Emulator, env: dict, cwd: Path, steps: list[Step]) -> Figures:
    polls = emu.stats["getUpdates"]
    proc = await process.start(args, env, cwd)
    try:
        await wait_polling(emu, proc, polls)
        warm = emu.user(steps[0].telegram_id, "warm")  # the first update pays for imports and caches
        await warm.send("/help")
        await warm.expect(None, timeout=120)
        started = time.perf_counter()
        latencies = await asyncio.gather(*(_one(emu, s, echo=label != "zhibu") for s in steps))
        seconds = time.perf_counter() - started
        peak = process.peak_rss_mb(proc.pid)
    finally:
        errors = await process.stop(proc)
    if "Traceback" in errors:
        print(f"[{label}] the bot logged errors:\n{errors[-2000:]}")
    return Figures(len(steps), seconds, list(latencies), peak)


def _restore(pristine: Path, db_path: Path) -> None:
    """Every zhibu run starts from the same database: check-ins not yet made, forms open, requests waiting."""
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    shutil.copyfile(pristine, db_path)


async def run(members_count: int, branches: int, updates: int, pairs: int = 3,
              seed: int = 7) -> tuple[list[Figures], list[Figures]]:
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        workdir = Path(tmp)
        db_path, pristine = workdir / "bench.db", workdir / "pristine.db"
        t0 = time.perf_counter()
        steps = await _seed(db_path, members_count, branches, updates, seed)
        print(f"seeded {branches} branches and {members_count} members, a burst of {len(steps)} updates, "
              f"in {time.perf_counter() - t0:.1f}s")
        async with Emulator() as emu:
            emu.record_calls = False
            for telegram_id in {s.telegram_id for s in steps}:  # they have opened the bot: its messages arrive
                emu.user(telegram_id)
            env = process.bot_env(emu, db_path)  # production pacing: ZHIBU_SEND_RATE's default, for both bots
            # Secretaries tap what the bot itself sent them: the roster they asked for, the leave request's card.
            proc = await process.start(["-m", "bot", "run"], env, workdir)
            try:
                await wait_polling(emu, proc, 0)
                for step in steps:
                    user = emu.user(step.telegram_id, f"S{step.telegram_id}")
                    if step.kind == "roster":
                        await user.send("/members")
                        step.message_id = (await user.expect("党员名册", timeout=60)).message_id
                    elif step.kind == "approve":
                        step.message_id = (await user.expect("请假申请待审核", timeout=120)).message_id
            finally:
                await process.stop(proc)
            shutil.copyfile(db_path, pristine)
            zhibu, echo = [], []
            for pair in range(pairs):
                _restore(pristine, db_path)
                zhibu.append(await _measure("zhibu", ["-m", "bot", "run"], emu, env, workdir, steps))
                echo.append(await _measure("echo", ["-m", "bot.bench.echo"], emu, env, workdir, steps))
                print(f"  pair {pair + 1}: zhibu {zhibu[-1].per_second:.1f}/s, echo {echo[-1].per_second:.1f}/s",
                      flush=True)
    return zhibu, echo


def report(zhibu: list[Figures], echo: list[Figures]) -> str:
    ratios = [z.per_second / e.per_second for z, e in zip(zhibu, echo)]
    lines = [f"{'pair':6}{'zhibu/s':>9}{'echo/s':>9}{'ratio':>7}{'zhibu p50/p99 ms':>20}{'echo p50/p99 ms':>20}"
             f"{'zhibu RSS MB':>14}"]
    for index, (z, e, r) in enumerate(zip(zhibu, echo, ratios)):
        lines.append(f"{index + 1:<6}{z.per_second:>9.1f}{e.per_second:>9.1f}{r:>7.2f}"
                     f"{f'{z.percentile(50):.0f} / {z.percentile(99):.0f}':>20}"
                     f"{f'{e.percentile(50):.0f} / {e.percentile(99):.0f}':>20}{z.peak_rss_mb:>14.1f}")
    lines += [
        f"ratio zhibu/echo (updates/s): min {min(ratios):.2f}, median {statistics.median(ratios):.2f}, "
        f"max {max(ratios):.2f}   (target ≥ {RATIO_TARGET})",
        f"zhibu peak RSS: {max(z.peak_rss_mb for z in zhibu):.1f} MB   (target ≤ 150 MB)",
    ]
    return "\n".join(lines)
