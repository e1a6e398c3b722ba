"""`zhibu bench updates`: how fast the real bot answers a burst of everyday updates, against a bare PTB echo bot.

The burst is what a county's members do in a busy moment: tap 签到 on an open meeting, answer a form (a leave
reason), a secretary approves a leave request, and reads (/start, /help, the roster's page). Both bots run as
child processes against the same in-process emulator with the production pacing (ZHIBU_SEND_RATE's default for
zhibu, PTB's stock AIORateLimiter at the same rate for the echo bot), in pairs whose order alternates; the ratio of
their rates shows what zhibu's own work (database, templates, authorisation) costs when Telegram's limits apply.
`zhibu bench http` runs the same burst to zhibu over httpx and over aiohttp (bot/bench/http.py).
"""

from __future__ import annotations

import asyncio
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.bench import county, process
from bot.callbacks import meetings as meetings_cb
from bot.callbacks import membership as membership_cb
from bot.callbacks import review as review_cb
from bot.emulator import Emulator
from bot.keys import refs
from bot.services import meetings as meeting_service
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
    cpu_seconds: float = 0.0  # the bot process's CPU time (user + system) during the burst

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu_seconds / self.updates * 1000 if self.updates else 0.0

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
            request = await submissions.find(db, "leave", refs.meeting(by_branch[branch_id]), member.id)
            steps.append(Step(secretary, "approve", review_cb.approve(request.id, request.version)))
        steps += [Step(s, "roster", membership_cb.page(0)) for s, _ in readers]
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


@dataclass(frozen=True)
class Contender:
    """A bot the burst goes to: how to start it, what to add to its environment, what answers it sends."""
    label: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...] = ()
    echo: bool = False  # answers with the text or data it got (the bare PTB echo bot)
    python: str | None = None  # the interpreter to run it with (default: the bench's own)


ZHIBU = Contender("zhibu", ("-m", "bot", "run"))
ECHO = Contender("echo", ("-m", "bot.bench.echo"), echo=True)


async def _measure(bot: Contender, emu: Emulator, env: dict, cwd: Path, steps: list[Step]) -> Figures:
    polls = emu.stats["getUpdates"]
    proc = await process.start(list(bot.args), {**env, **dict(bot.env)}, cwd, python=bot.python)
    try:
        await wait_polling(emu, proc, polls)
        warm = emu.user(steps[0].telegram_id, "warm")  # the first update pays for imports and caches
        await warm.send("/help")
        await warm.expect(None, timeout=120)
        cpu_before = process.cpu_seconds(proc.pid)
        started = time.perf_counter()
        latencies = await asyncio.gather(*(_one(emu, s, echo=bot.echo) for s in steps))
        seconds = time.perf_counter() - started
        cpu = process.cpu_seconds(proc.pid) - cpu_before
        peak = process.peak_rss_mb(proc.pid)
    finally:
        errors = await process.stop(proc)
    if "Traceback" in errors:
        print(f"[{bot.label}] the bot logged errors:\n{errors[-2000:]}")
    return Figures(len(steps), seconds, list(latencies), peak, cpu)


async def run(members_count: int, branches: int, updates: int, pairs: int = 3, seed: int = 7,
              bots: tuple[Contender, Contender] = (ZHIBU, ECHO), **env_extra: str) -> tuple[list[Figures], list[Figures]]:
    """The burst to both `bots` in `pairs` pairs; which goes first alternates from pair to pair (the second of a
    pair meets a warmer machine). `env_extra` goes to both (ZHIBU_SEND_RATE="0" measures them unpaced)."""
    figures = await rounds(members_count, branches, updates, pairs, bots, seed, **env_extra)
    return figures[bots[0].label], figures[bots[1].label]


def order_of(bots: Sequence[Contender], index: int) -> list[Contender]:
    """Round `index`'s order: each bot goes first in turn, and with two bots every other round reverses them."""
    shift = index % len(bots)
    return list(bots[shift:]) + list(bots[:shift])


async def rounds(members_count: int, branches: int, updates: int, count: int, bots: Sequence[Contender],
                 seed: int = 7, **env_extra: str) -> dict[str, list[Figures]]:
    """The burst to every bot in `count` rounds whose order rotates (order_of); each zhibu run from the same
    database. Returns each bot's figures, round by round."""
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
            env = process.bot_env(emu, db_path, **env_extra)  # production pacing unless env_extra says otherwise
            await _find_tapped_messages(emu, env, workdir, steps)
            shutil.copyfile(db_path, pristine)
            figures: dict[str, list[Figures]] = {bot.label: [] for bot in bots}
            for index in range(count):
                for bot in order_of(bots, index):
                    if not bot.echo:  # from the same database: check-ins not yet made, forms open, requests waiting
                        process.restore(pristine, db_path)
                    figures[bot.label].append(await _measure(bot, emu, env, workdir, steps))
                print(f"  round {index + 1}: " + ", ".join(
                    f"{b.label} {figures[b.label][-1].per_second:.1f}/s {figures[b.label][-1].cpu_ms_per_update:.2f} "
                    f"ms CPU" for b in order_of(bots, index)), flush=True)
    return figures


async def _find_tapped_messages(emu: Emulator, env: dict, workdir: Path, steps: list[Step]) -> None:
    """Secretaries tap what the bot itself sent them: the roster they asked for, the leave request's card."""
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


def ratios(first: list[Figures], second: list[Figures]) -> list[float]:
    return [a.per_second / b.per_second for a, b in zip(first, second, strict=True)]


def spread(values: list[float], digits: int = 2) -> str:
    return (f"min {min(values):.{digits}f}, median {statistics.median(values):.{digits}f}, "
            f"max {max(values):.{digits}f}")


def table(first: list[Figures], second: list[Figures], names: tuple[str, str]) -> list[str]:
    a, b = names
    heads = [f"{a}/s", f"{b}/s", "ratio", f"{a} p50/p99 ms", f"{b} p50/p99 ms", f"{a} CPU ms/upd", f"{b} CPU ms/upd"]
    lines = ["pair  " + "".join(f"{h:>{max(len(h) + 2, 9)}}" for h in heads)]
    for index, (x, y, r) in enumerate(zip(first, second, ratios(first, second), strict=True)):
        cells = [f"{x.per_second:.1f}", f"{y.per_second:.1f}", f"{r:.2f}",
                 f"{x.percentile(50):.0f} / {x.percentile(99):.0f}", f"{y.percentile(50):.0f} / {y.percentile(99):.0f}",
                 f"{x.cpu_ms_per_update:.2f}", f"{y.cpu_ms_per_update:.2f}"]
        lines.append(f"{index + 1:<6}" + "".join(f"{c:>{max(len(h) + 2, 9)}}" for c, h in zip(cells, heads, strict=True)))
    return lines


def report(zhibu: list[Figures], echo: list[Figures]) -> str:
    return "\n".join(table(zhibu, echo, ("zhibu", "echo")) + [
        f"ratio zhibu/echo (updates/s): {spread(ratios(zhibu, echo))}   (target ≥ {RATIO_TARGET})",
        f"zhibu peak RSS: {max(z.peak_rss_mb for z in zhibu):.1f} MB   (target ≤ 150 MB)",
    ])
