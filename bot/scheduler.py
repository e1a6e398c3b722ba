"""The reminder engine: drain the outbox — claim what is due, check it still matters, send, record.

Telegram-free and feature-free: sending is a callable the app wiring provides (handlers/telegram/delivery.py), the
ticks and relevance checks come from the features' registry, the secretary's "member unreachable" notice is
queued through a callable, and every decision takes `now` from the clock once per row.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, OutboxStatus
from bot.domain.quiet import quiet_until
from bot.domain.roles import Role
from bot.engine_types import Delivery, Sender, SendResult, sending_kind  # noqa: F401  (SendResult: re-exported for the senders)
from bot.features import Registry
from bot.keys import common as common_keys
from bot.settings import Settings
from storage import branches, maintenance, marks, members, outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The ticks run at most this often through drain(); drain_now() (the CLI, tests) always runs them.
TICK_EVERY = timedelta(seconds=60)
# Old finished rows are deleted this many at a time, one transaction each, so a prune never holds up a send long.
PRUNE_BATCH = 5000
# A claimed batch is held this long, renewed while it is being sent; a row whose holder died goes back after it.
LEASE = timedelta(minutes=2)
# Waits after the 1st, 2nd, … failed attempt of a transient error.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))


# Queues the "member unreachable" notice to one secretary, inside the caller's transaction:
# (services, connection, secretary, the member who cannot be reached, now).
UnreachableNotice = Callable[[Any, Any, Member, Member, datetime], Awaitable[None]]


class Engine(Protocol):
    """What the drain needs of the services it is given (the app passes its `Services`): the database, clock,
    settings, and the features' registry for ticks and relevance checks. Ticks and checks receive it as is."""

    db: Any
    settings: Settings
    features: Registry

    def now(self) -> datetime: ...


@dataclass
class DrainReport:
    sent: int = 0
    skipped: int = 0
    expired: int = 0
    postponed: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    lost_lease: int = 0  # rows whose lease ran out before their turn came: another holder sends them
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.expired + self.postponed + self.retried + self.failed + self.blocked


def by_chat(rows: list[OutboxRow]) -> list[list[OutboxRow]]:
    """The claimed rows, one list per chat in the claim order: a chat's messages go out one after another, in
    the order they were queued (an approval before the catch-up notices the same transaction queued), while
    different chats are sent concurrently. Sent concurrently, two requests to one chat arrive in either order."""
    queues: dict[int, list[OutboxRow]] = {}
    for row in rows:
        queues.setdefault(row.chat_id, []).append(row)
    return list(queues.values())


class Drainer:
    """The one drain job: runs the features' ticks, and sends what is due.

    Send runs are serialised; a run keeps claiming batches until nothing is due. Tick runs are serialised among
    themselves and go in their own task, followed by a send run. A long tick run (a county's start-up planning
    900 theme days) never holds up sending: the drain job and wakes that come meanwhile send at once, and the
    ticks' own wakes send what they planned, batch by batch."""

    def __init__(self, svc: Engine, send: Sender, tell_unreachable: UnreachableNotice, *, batch: int = 100,
                 concurrency: int = 30, spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task] = asyncio.create_task,
                 lease: timedelta = LEASE) -> None:
        self.svc = svc
        # Who holds the rows this drainer claims (kept on a sent row as who sent it): unique to this process.
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.lease = lease
        self.send = send
        self.tell_unreachable = tell_unreachable
        self.batch = batch
        self.concurrency = concurrency
        # How the tick task is started: the app passes its create_task, so a stop waits for a tick run to end.
        self.spawn = spawn
        self._lock = asyncio.Lock()
        self._again = False
        self._ticks_lock = asyncio.Lock()
        self._ticking: asyncio.Task | None = None
        self._ticked_at: datetime | None = None
        self._pruned_on: str | None = None
        # The rows of the batch being sent that this drainer holds, and until when their lease runs.
        self._held: set[int] = set()
        self._held_until = datetime.min.replace(tzinfo=UTC)
        self._renewing = asyncio.Lock()

    async def recover(self, sole: bool = False) -> int:
        """At start: rows whose holder's lease ran out go back to pending (they may repeat once; every send run
        does the same, so a process that died mid-send is covered by the others too) — or, when this process is
        proven the only one on the database (`sole`: SQLite's lock file), every row left mid-send, at once, since
        its holder has ended; and the query planner's statistics are brought up to date (again once a day, after
        the prune)."""
        count = await (self._release_all() if sole else self._reap())
        async with self.svc.db.write() as db:
            await maintenance.optimize(db)
        return count

    async def _reap(self) -> int:
        async with self.svc.db.write(row_locks=True) as db:
            count = await outbox.reap_expired(db, self.svc.now())
        if count:
            log.warning("%d reminders were left mid-send by a stopped process; they go out again", count)
        return count

    async def _release_all(self) -> int:
        async with self.svc.db.write(row_locks=True) as db:
            count = await outbox.release_all_leases(db, self.svc.now())
        if count:
            log.warning("%d reminders were left mid-send by the process that ran before this one; they go out again "
                        "now, their leases released (this process is the only one on the database)", count)
        return count

    async def drain(self) -> DrainReport:
        """The drain job and every wake: when no tick run is going, start one in its own task — the ticks, then
        everything due, as always. When one is going (a county's start-up may plan for a minute), send what is
        due now instead of waiting for it. A send while a send run is going marks that run to look again.
        Returns this call's own sends (none when it started the ticks; their failures are logged)."""
        report = DrainReport()
        if (self._ticking is None or self._ticking.done()) and self._ticks_due():
            self._ticked_at = self.svc.now()
            self._ticking = self.spawn(self._tick_then_send())
        else:
            await self._send_due(report)
        return report

    def _ticks_due(self) -> bool:
        """Ticks are time-driven (a theme day to create, a meeting to close, a digest at 08:30): once a minute is
        enough, and a county's ticks cost tens of milliseconds, so the wakes and drains in between only send."""
        now = self.svc.now()
        return self._ticked_at is None or not (self._ticked_at <= now < self._ticked_at + TICK_EVERY)

    async def drain_now(self) -> DrainReport:
        """Run the ticks (after a tick run in progress), then send what is due (after a send run in progress):
        for the CLI and tests, which need everything done and the result."""
        report = DrainReport()
        async with self._ticks_lock:
            await self._run_ticks(report)
        async with self._lock:
            await self._run(report)
        return report

    async def send_now(self) -> DrainReport:
        """Send what is due (after a send run in progress), without the ticks: a process that only helps drain."""
        report = DrainReport()
        async with self._lock:
            await self._run(report)
        return report

    @property
    def busy(self) -> bool:
        """A send run or a tick run is going (for tests that wait until the bot has done everything)."""
        return self._lock.locked() or self._ticks_lock.locked() or (self._ticking is not None
                                                                     and not self._ticking.done())

    async def wait_for_ticks(self) -> None:
        """Until the tick run a drain started has ended (for tests and the CLI)."""
        if self._ticking is not None:
            await asyncio.shield(self._ticking)

    async def _tick_then_send(self) -> None:
        report = DrainReport()
        async with self._ticks_lock:
            await self._run_ticks(report)
        await self._send_due(report)

    async def _send_due(self, report: DrainReport) -> None:
        if self._lock.locked():
            self._again = True
            return
        async with self._lock:
            await self._run(report)

    async def _run(self, report: DrainReport) -> None:
        semaphore = asyncio.Semaphore(self.concurrency)  # every chat of a batch has released it when gather returns

        async def one_chat(queue: list[OutboxRow]) -> None:
            async with semaphore:
                for row in queue:
                    await self._handle(row, report)

        await self._reap()
        while True:
            self._again = False
            rows = await self._claim()
            if not rows:
                if self._again:
                    continue
                return
            await asyncio.gather(*(one_chat(queue) for queue in by_chat(rows)))

    async def _still_held(self, row: OutboxRow) -> bool:
        """Just before a send: whether this drainer still holds the row's lease. When a third of the lease or less
        is left, every row it holds is renewed first (once for all the chats sending); a row whose lease ran out
        meanwhile went back to the outbox and is another holder's business: it is not sent from here."""
        async with self._renewing:
            if self.svc.now() >= self._held_until - self.lease / 3:
                async with self.svc.db.write(row_locks=True) as db:
                    self._held = await outbox.renew(db, self.holder, self.svc.now() + self.lease)
                self._held_until = self.svc.now() + self.lease
        if row.id in self._held:
            return True
        log.warning("outbox row %s (%s): the lease ran out before it was sent; left to its new holder", row.id, row.key)
        return False

    async def _run_ticks(self, report: DrainReport) -> None:
        for tick in (*self.svc.features.ticks, self._prune):
            try:
                await tick(self.svc, self.svc.now())
            except Exception as exc:  # one feature's bug must not stop reminders of the others
                log.exception("scheduled step %s failed", getattr(tick, "__qualname__", tick))
                report.errors.append(f"tick {getattr(tick, '__qualname__', tick)}: {exc!r}")

    async def _prune(self, svc: Engine, now: datetime) -> None:
        """Once a day: what was sent, skipped, expired or cancelled more than ZHIBU_OUTBOX_KEEP_DAYS ago goes,
        so an idle outbox stays small; then the planner's statistics are refreshed. A mark makes it once a day across
        restarts too."""
        day = now.date().isoformat()
        if self._pruned_on == day:
            return
        async with svc.db.write() as db:
            first = await marks.claim(db, common_keys.pruned(day), now)
        self._pruned_on = day
        if not first:
            return
        before = now - timedelta(days=svc.settings.outbox_keep_days)
        while True:
            async with svc.db.write() as db:
                deleted = await outbox.prune(db, before, PRUNE_BATCH)
            if deleted < PRUNE_BATCH:
                break
            await asyncio.sleep(0)  # let a waiting update in between batches
        async with svc.db.write() as db:
            await maintenance.optimize(db)

    async def _claim(self) -> list[OutboxRow]:
        now = self.svc.now()
        async with self.svc.db.write(row_locks=True) as db:
            rows = await outbox.claim_due(db, now, self.batch, holder=self.holder, lease=self.lease)
        self._held, self._held_until = {row.id for row in rows}, now + self.lease
        return rows

    async def _handle(self, row: OutboxRow, report: DrainReport) -> None:
        try:
            await self._deliver(row, report)
        except Exception as exc:  # never let one row stop the drain; it is retried with backoff
            log.exception("outbox row %s (%s) failed unexpectedly", row.id, row.key)
            report.errors.append(f"{row.key}: {exc!r}")
            await self._retry_or_fail(row, repr(exc), report)

    async def _deliver(self, row: OutboxRow, report: DrainReport) -> None:
        now = self.svc.now()
        if row.expires_at is not None and now >= row.expires_at:
            await self._finish(row, OutboxStatus.EXPIRED)
            report.expired += 1
            return
        if not row.urgent:
            wake = await self._quiet_until(row, now)
            if wake is not None:
                await self._fenced(outbox.retry_at, row, wake, now)
                report.postponed += 1
                return
        check = self.svc.features.relevance.get(row.kind)
        if check is not None and not await check(self.svc, row, now):
            await self._finish(row, OutboxStatus.SKIPPED)
            report.skipped += 1
            return
        if not await self._still_held(row):
            report.lost_lease += 1
            return
        kind = sending_kind.set(row.kind)
        try:
            result = await self.send(row.chat_id, row.payload)
        finally:
            sending_kind.reset(kind)
        if result.outcome is Delivery.SENT:
            await self._finish(row, OutboxStatus.SENT, message_id=result.message_id)
            report.sent += 1
        elif result.outcome is Delivery.RETRY_AFTER:
            later = self.svc.now() + timedelta(seconds=max(result.retry_after, 1))
            await self._fenced(outbox.retry_at, row, later, self.svc.now(), f"429 retry after {result.retry_after}s")
            report.retried += 1
        elif result.outcome is Delivery.BLOCKED:
            await self._finish(row, OutboxStatus.FAILED, error=result.error or "blocked")
            await self._unreachable(row)
            report.blocked += 1
        elif result.outcome is Delivery.REJECTED:
            log.error("Telegram rejected outbox row %s (%s): %s", row.id, row.key, result.error)
            await self._finish(row, OutboxStatus.FAILED, error=result.error)
            report.failed += 1
        elif result.outcome is Delivery.UNCERTAIN:
            await self._maybe_arrived(row, result.error or "no answer", report)
        else:
            await self._retry_or_fail(row, result.error or "transient error", report)

    async def _maybe_arrived(self, row: OutboxRow, error: str, report: DrainReport) -> None:
        """The request went out and no answer came: the person may have the message already. Sent again once,
        after the usual backoff (a message that matters is worth one possible copy more than a sure loss); a
        second such outcome counts as sent. So one row is seen at most twice, never more."""
        if await outbox.uncertain_sends(self.svc.db, row.id) >= 1:
            log.warning("outbox row %s (%s) got no answer twice; taken as delivered: %s", row.id, row.key, error)
            await self._finish(row, OutboxStatus.SENT, error=f"may have arrived (no answer twice): {error}")
            report.sent += 1
            return
        now = self.svc.now()
        await self._fenced(outbox.retry_uncertain, row, now + BACKOFF[0], now, f"may have arrived: {error}")
        report.retried += 1

    async def _quiet_until(self, row: OutboxRow, now: datetime) -> datetime | None:
        if row.branch_id is None:
            return None
        branch = await branches.get(self.svc.db, row.branch_id)
        if branch is None:
            return None
        tz = branch.tz or self.svc.settings.tz
        return quiet_until(now, tz, branch.settings.quiet_start, branch.settings.quiet_end)

    async def _retry_or_fail(self, row: OutboxRow, error: str, report: DrainReport) -> None:
        current = await outbox.get(self.svc.db, row.key)
        attempts = (current.attempts if current else row.attempts) + 1
        now = self.svc.now()
        if attempts >= MAX_ATTEMPTS:
            log.error("outbox row %s (%s) failed after %d attempts: %s", row.id, row.key, attempts, error)
            await self._finish(row, OutboxStatus.FAILED, error=error)
            report.failed += 1
            return
        wait = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
        await self._fenced(outbox.retry_at, row, now + wait, now, error)
        report.retried += 1

    async def _finish(self, row: OutboxRow, status: OutboxStatus, *, message_id: int | None = None,
                      error: str | None = None) -> None:
        await self._fenced(outbox.finish, row, status, self.svc.now(), message_id=message_id, error=error)

    async def _fenced(self, change: Callable[..., Awaitable[bool]], row: OutboxRow, *args: Any, **kwargs: Any) -> None:
        """A change to a claimed row, applied only while this drainer still holds its lease."""
        async with self.svc.db.write(row_locks=True) as db:
            held = await change(db, row.id, *args, holder=self.holder, **kwargs)
        if not held:
            log.warning("outbox row %s (%s): the lease ran out before it was finished; left to its new holder",
                        row.id, row.key)

    async def _unreachable(self, row: OutboxRow) -> None:
        """403: mark the member unreachable, cancel what waits for them, tell the secretary — once."""
        if row.member_id is None:
            return
        now = self.svc.now()
        async with self.svc.db.write() as db:
            changed = await members.set_reachable(db, row.member_id, False, now)
            if not changed:
                return
            await outbox.cancel_for_member(db, row.member_id, now)
            member = await members.get(db, row.member_id)
            for secretary in await members.with_role(db, member.branch_id, [Role.SECRETARY]):
                if secretary.id != member.id:
                    await self.tell_unreachable(self.svc, db, secretary, member, now)
        self._again = True
