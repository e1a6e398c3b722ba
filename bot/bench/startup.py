"""`zhibu bench startup`: how the bot answers people while a fresh county's start-up work runs.

A fresh county (no theme days yet) starts the real bot, a child process, against the emulator, which enforces
Telegram's limits as Telegram does. At start the bot plans the month's theme day for every branch with its check-in
reminders (~60,000 outbox rows for 900 branches / 20,000 members) and asks each secretary for a theme. Meanwhile
people arrive at a steady rate: half are members sending /help, half are secretaries who open /members, tap a member
and tap a role on the member's card (a write). Each answer's latency is measured until the start-up work is done
(`process.settle`); the goal is every answer within a second.
"""

from __future__ import annotations

import asyncio
import json
import math
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite

from bot.bench import process
from bot.callbacks import membership as membership_cb
from bot.domain.calendar import ThemeDaySettings
from bot.domain.roles import Role
from bot.emulator import Emulator
from bot.services.themeday import due_months
from bot.settings import Settings
from storage import marks, meetings, outbox, themeday
from storage import members as member_store
from storage.bulk import seed_county
from storage.db import open_database

GOAL = 1.0  # seconds: every answer within this
PATIENCE = 60.0  # seconds a person waits for an answer before it counts as lost
HELP_MARK = "您可以"  # in every /help answer
ROSTER_MARK = "党员名册"  # the /members answer
KINDS = ("/help", "/members", "member card", "role (a write)")


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) by nearest rank on the sorted values; nan when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Figures:
    members: int
    branches: int
    rate: float
    startup: float = 0.0  # process start until the start-up work is done
    theme_days_after: float | None = None  # process start until every branch's theme day exists
    polling_after: float = 0.0  # process start until the bot starts polling
    theme_days: int = 0
    outbox: dict[str, int] = field(default_factory=dict)
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    asked_at: list[tuple[float, float]] = field(default_factory=list)  # (seconds after process start, latency)
    lost: list[str] = field(default_factory=list)  # the kind of each answer nobody got
    peak_rss_mb: float = 0.0
    rate_limited: int = 0  # 429s the emulator answered, as Telegram does beyond 30 msg/s
    sent: int = 0  # new messages the bot sent (outbox and answers; edits not counted)

    @property
    def answers(self) -> list[float]:
        return [s for kind in KINDS for s in self.latencies[kind]]


def theme_day_rule(now: datetime, tz: str) -> ThemeDaySettings | None:
    """None when the county's default rule has a theme day to create today; otherwise a rule (the day of the month
    three days ahead) that does, so the start-up work is the same whatever day the benchmark runs."""
    today = now.astimezone(ZoneInfo(tz)).date()
    if due_months(ThemeDaySettings(), today, tz, now):
        return None
    return ThemeDaySettings(mode="monthday", day=(today + timedelta(days=3)).day)


async def _seed(db_path: Path, members: int, branches: int) -> tuple[list, dict[int, int]]:
    """The county (no quiet hours, so the time of the run does not matter), and per secretary the id of a
    member of their branch to tap."""
    now = datetime.now(UTC)
    db = await open_database(db_path)
    try:
        async with db.write() as tx:
            layout = await seed_county(tx, branches=branches, members=members, now=now,
                                       settings_json=json.dumps({"quiet_start": "00:00", "quiet_end": "00:00"}))
            rule = theme_day_rule(now, Settings.model_fields["tz"].default)
            targets = {}
            for branch_id, secretary, _ in layout:
                if rule is not None:
                    await themeday.save_settings(tx, branch_id, rule, now)
                others = [m.id for m in await member_store.in_branch(tx, branch_id) if m.telegram_id != secretary]
                if others:
                    targets[secretary] = others[0]
        return layout, targets
    finally:
        await db.close()


class Load:
    """People arriving at a steady rate, each waiting for their answers; latencies by kind, and what was lost."""

    def __init__(self, emu: Emulator, layout: list, targets: dict[int, int], figures: Figures) -> None:
        self.emu = emu
        self.figures = figures
        self.process_started = time.perf_counter()  # set again when the bot's process starts
        helpers = [ids[1] for _, _, ids in layout if len(ids) > 1]
        secretaries = [(s, targets[s]) for _, s, _ in layout if s in targets]
        self.people: list[Callable[[], Awaitable[None]]] = []
        for index in range(max(len(helpers), len(secretaries))):
            if index < len(helpers):
                self.people.append(lambda t=helpers[index]: self._help(t))
            if index < len(secretaries):
                self.people.append(lambda s=secretaries[index]: self._secretary(*s))

    async def run(self, until: asyncio.Event) -> None:
        """One person every 1/rate seconds until `until` is set; then waits for everyone still waiting.
        A person comes back only after all the others have had a turn, so none has two requests in flight."""
        loop = asyncio.get_running_loop()
        began, arrivals = loop.time(), []
        while not until.is_set():
            arrivals.append(asyncio.create_task(self.people[len(arrivals) % len(self.people)]()))
            delay = began + len(arrivals) / self.figures.rate - loop.time()
            try:
                await asyncio.wait_for(until.wait(), max(delay, 0))
            except TimeoutError:
                pass
        await asyncio.gather(*arrivals)

    async def _timed(self, kind: str, answer: Awaitable[object]) -> object | None:
        started = time.perf_counter()
        try:
            result = await answer
        except AssertionError:  # the emulator's person waited PATIENCE seconds in vain
            self.figures.lost.append(kind)
            return None
        took = time.perf_counter() - started
        self.figures.latencies[kind].append(took)
        self.figures.asked_at.append((started - self.process_started, took))
        return result

    async def _help(self, telegram_id: int) -> None:
        user = self.emu.user(telegram_id)
        await user.send("/help")
        await self._timed("/help", user.expect(HELP_MARK, PATIENCE))

    async def _secretary(self, telegram_id: int, member_id: int) -> None:
        user = self.emu.user(telegram_id)
        await user.send("/members")
        roster = await self._timed("/members", user.expect(ROSTER_MARK, PATIENCE))
        if roster is None:
            return
        if await self._timed("member card", user.press_data(roster.message_id, membership_cb.card(member_id),
                                                            PATIENCE)) is None:
            return
        await self._timed("role (a write)", user.press_data(
            roster.message_id, membership_cb.role(member_id, Role.PROPAGANDA), PATIENCE))


async def _wait_polling(emu: Emulator, proc, timeout: float = 60) -> None:
    """Until the child process starts polling: it clears its webhook just before its first getUpdates (which the
    emulator counts only when it returns, up to a long poll later)."""
    deadline = time.monotonic() + timeout
    while emu.stats["deleteWebhook"] == 0:
        if proc.returncode is not None or time.monotonic() > deadline:
            raise RuntimeError("the bot did not start polling: " + await process.stop(proc))
        await asyncio.sleep(0.05)


async def _theme_days_created(db_path: Path, started: float) -> float:
    """Seconds from `started` until the bot has created the county's theme days (their hourly mark is claimed)."""
    async with aiosqlite.connect(db_path) as db:
        while not await marks.any_with_prefix(db, "themeday:create:"):
            await asyncio.sleep(0.1)
    return time.perf_counter() - started


async def _count(db_path: Path, figures: Figures) -> None:
    async with aiosqlite.connect(db_path) as db:
        db.row_factory = aiosqlite.Row
        figures.theme_days = len(await meetings.all_upcoming(db, datetime.now(UTC)))
        figures.outbox = await outbox.counts(db)


async def _start_up(emu: Emulator, db_path: Path, workdir: Path, load: Load, figures: Figures) -> None:
    proc = await process.start(["-m", "bot", "run"], process.bot_env(emu, db_path), workdir)
    started = load.process_started = time.perf_counter()
    created = asyncio.create_task(_theme_days_created(db_path, started))
    settled = asyncio.create_task(process.settle(db_path, limit=900))
    done = asyncio.Event()
    settled.add_done_callback(lambda _: done.set())
    try:
        await _wait_polling(emu, proc)
        figures.polling_after = time.perf_counter() - started
        await load.run(done)
        figures.startup = await settled  # timed from its start, just after the process's
        figures.theme_days_after = await created  # settle waited for the same mark
        figures.peak_rss_mb = process.peak_rss_mb(proc.pid)
    finally:
        created.cancel()
        settled.cancel()
        errors = await process.stop(proc)
    if "Traceback" in errors:
        print(f"the bot logged errors:\n{errors[-3000:]}")


async def run(members: int, branches: int, rate: float) -> Figures:
    figures = Figures(members, branches, rate)
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as tmp:
        workdir = Path(tmp)
        db_path = workdir / "bench.db"
        t0 = time.perf_counter()
        layout, targets = await _seed(db_path, members, branches)
        print(f"seeded {len(layout)} branches and {members} members in {time.perf_counter() - t0:.1f}s", flush=True)
        async with Emulator(rate_limit=True) as emu:
            emu.record_calls = False
            for _, _, ids in layout:  # everyone has opened the bot: its messages to them arrive
                for telegram_id in ids:
                    emu.user(telegram_id)
            await _start_up(emu, db_path, workdir, Load(emu, layout, targets, figures), figures)
            figures.rate_limited, figures.sent = emu.stats["429"], emu.stats["sent"]
        await _count(db_path, figures)
    return figures


def _row(label: str, values: list[float]) -> str:
    if not values:
        return f"{label:<16}{0:>8}"
    ms = [percentile(values, p) * 1000 for p in (50, 99, 100)]
    return f"{label:<16}{len(values):>8}{ms[0]:>10.0f}{ms[1]:>10.0f}{ms[2]:>10.0f}"


def report(figures: Figures) -> str:
    answers = figures.answers
    late = sum(1 for s in answers if s > GOAL)
    met = not late and not figures.lost
    pending = figures.outbox.get("pending", 0)
    created = f"{figures.theme_days_after:.1f} s" if figures.theme_days_after is not None else "never"
    planned = figures.theme_days_after if figures.theme_days_after is not None else math.inf
    lines = [
        f"the bot started polling {figures.polling_after:.1f} s after its process started",
        f"start-up work ({figures.branches} branches, {figures.members} members): done {figures.startup:.1f} s after"
        f" the bot's process started; every branch's theme day created after {created}",
        f"  {figures.theme_days} theme days; outbox {sum(figures.outbox.values())} rows ({pending} reminders waiting);"
        f" the bot sent {figures.sent} new messages, {figures.rate_limited} × 429",
        f"answers during start-up ({figures.rate:g} people/s: members send /help; secretaries open /members,"
        f" tap a member, tap a role):",
        f"{'':<16}{'answers':>8}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}",
        *(_row(kind, figures.latencies[kind]) for kind in KINDS),
        _row("all", answers),
        _row("  planning", [s for at, s in figures.asked_at if at < planned]),
        _row("  sending", [s for at, s in figures.asked_at if at >= planned]),
        "  (planning: asked before every theme day existed; sending: after, while the prompts went out)",
        f"goal: every answer within {GOAL:g} s — {'met' if met else 'NOT met'}"
        f" ({late} slower, {len(figures.lost)} lost)",
        f"bot peak RSS: {figures.peak_rss_mb:.1f} MB   (goal ≤ 150 MB — {'met' if figures.peak_rss_mb <= 150 else 'NOT met'})",
    ]
    return "\n".join(lines)
