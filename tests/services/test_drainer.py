"""The outbox drainer on a real database with a recording sender: what it sends, expires, holds back, retries,
and what a 403 does. (Skipping a reminder that no longer matters: test_notices.py, with a real relevance check.)"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.domain.outbox import OutboxStatus, Planned
from bot.features import Feature, Registry
from bot.outgoing import Outgoing
from bot.scheduler import Delivery, Drainer, SendResult
from bot.services import Services, notify
from storage import members, outbox
from storage.times import to_db
from tests.support import SECRETARY_ID


def ping(key: str) -> Outgoing:
    return Outgoing(template="common/unreachable.j2", params={"name": key})


async def plan(svc: Services, key: str, chat_id: int, *, due_in: timedelta = timedelta(0), kind: str = "test",
               expires_at: datetime | None = None, urgent: bool = False, member_id: int | None = None,
               branch_id: int | None = None) -> None:
    now = svc.now()
    async with svc.db.write() as tx:
        await outbox.upsert(tx, Planned(key=key, chat_id=chat_id, kind=kind, payload=ping(key), due_at=now + due_in,
                                        expires_at=expires_at, urgent=urgent, member_id=member_id,
                                        branch_id=branch_id), now)


def keys_sent(sender) -> list[str]:
    return [message.params["name"] for _, message in sender.sent]


async def test_due_rows_are_sent_once_and_future_rows_wait(services, cast, drainer, sender, clock):
    """A due row is sent and marked sent with its message id; draining again sends nothing more; a row due
    later waits until its time."""
    member = cast.people[0]
    await plan(services, "t:now", member.telegram_id, member_id=member.id, branch_id=cast.branch_id)
    await plan(services, "t:later", member.telegram_id, due_in=timedelta(hours=1), member_id=member.id,
               branch_id=cast.branch_id)

    await drainer.drain_now()
    await drainer.drain_now()
    assert keys_sent(sender) == ["t:now"]
    row = await outbox.get(services.db, "t:now")
    assert row.status is OutboxStatus.SENT and row.message_id is not None and row.attempts == 1
    assert (await outbox.get(services.db, "t:later")).status is OutboxStatus.PENDING

    clock.advance(hours=1)
    await drainer.drain_now()
    assert keys_sent(sender) == ["t:now", "t:later"]


async def test_a_reminder_past_its_usefulness_expires_unsent(services, cast, drainer, sender, clock):
    """A row whose expiry has passed (the meeting already started) is marked expired, never sent late."""
    member = cast.people[0]
    await plan(services, "t:stale", member.telegram_id, expires_at=clock.now() + timedelta(minutes=5),
               member_id=member.id, branch_id=cast.branch_id)
    clock.advance(minutes=10)
    report = await drainer.drain_now()
    assert report.expired == 1
    assert keys_sent(sender) == []
    assert (await outbox.get(services.db, "t:stale")).status is OutboxStatus.EXPIRED


async def test_quiet_hours_hold_back_reminders_but_not_answers(services, cast, drainer, sender, clock):
    """At 23:00 in the branch's time zone a non-urgent reminder is postponed to 07:00 (not counted as an
    attempt), while an urgent message (an answer to something a person just did) goes out at once."""
    member = cast.people[0]
    clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    await plan(services, "t:reminder", member.telegram_id, member_id=member.id, branch_id=cast.branch_id)
    await plan(services, "t:answer", member.telegram_id, urgent=True, member_id=member.id, branch_id=cast.branch_id)

    report = await drainer.drain_now()
    assert report.postponed >= 1
    assert keys_sent(sender) == ["t:answer"]
    held = await outbox.get(services.db, "t:reminder")
    assert held.status is OutboxStatus.PENDING and held.attempts == 0
    assert held.due_at == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 07:00 the next morning in Shanghai

    clock.set(held.due_at)
    await drainer.drain_now()
    assert keys_sent(sender) == ["t:answer", "t:reminder"]


async def test_429_is_retried_after_retry_after(services, cast, drainer, sender, clock):
    """A 429 that outlived the rate limiter puts the row back for `retry_after` seconds, counted as an attempt;
    not before then, and then it is sent."""
    member = cast.people[0]
    await plan(services, "t:busy", member.telegram_id, urgent=True, member_id=member.id, branch_id=cast.branch_id)
    sender.outcome = SendResult(Delivery.RETRY_AFTER, retry_after=7)
    report = await drainer.drain_now()
    assert report.retried == 1
    row = await outbox.get(services.db, "t:busy")
    assert row.status is OutboxStatus.PENDING and row.attempts == 1
    assert row.due_at == clock.now() + timedelta(seconds=7)

    sender.outcome = SendResult(Delivery.SENT)
    clock.advance(seconds=6)
    await drainer.drain_now()
    assert keys_sent(sender) == ["t:busy"]  # only the first, refused attempt so far
    clock.advance(seconds=1)
    await drainer.drain_now()
    assert keys_sent(sender) == ["t:busy", "t:busy"]
    assert (await outbox.get(services.db, "t:busy")).status is OutboxStatus.SENT


async def test_a_transient_error_is_retried_with_backoff(services, cast, drainer, sender, clock):
    """Network trouble puts the row back 30 s later with the error kept; the next attempt sends it."""
    member = cast.people[0]
    await plan(services, "t:flaky", member.telegram_id, urgent=True, member_id=member.id, branch_id=cast.branch_id)
    sender.outcome = SendResult(Delivery.TRANSIENT, error="connection reset")
    await drainer.drain_now()
    row = await outbox.get(services.db, "t:flaky")
    assert row.status is OutboxStatus.PENDING and row.last_error == "connection reset"
    assert row.due_at == clock.now() + timedelta(seconds=30)
    sender.outcome = SendResult(Delivery.SENT)
    clock.advance(seconds=30)
    await drainer.drain_now()
    assert (await outbox.get(services.db, "t:flaky")).status is OutboxStatus.SENT


async def test_403_marks_the_member_unreachable_and_tells_the_secretary_once(services, cast, drainer, sender):
    """A member who blocked the bot: the row fails, the member is marked unreachable, their other pending
    reminders are cancelled, and the secretary is told — once, however many rows hit the block."""
    member = cast.people[0]
    blocked = SendResult(Delivery.BLOCKED, error="Forbidden: bot was blocked by the user")
    sender.outcome = lambda chat_id, _: blocked if chat_id == member.telegram_id else SendResult(Delivery.SENT)
    await plan(services, "t:a", member.telegram_id, urgent=True, member_id=member.id, branch_id=cast.branch_id)
    await plan(services, "t:b", member.telegram_id, urgent=True, member_id=member.id, branch_id=cast.branch_id)
    await plan(services, "t:tomorrow", member.telegram_id, due_in=timedelta(days=1), member_id=member.id,
               branch_id=cast.branch_id)

    report = await drainer.drain_now()
    assert report.blocked >= 1
    assert not (await members.get(services.db, member.id)).reachable
    assert (await outbox.get(services.db, "t:tomorrow")).status is OutboxStatus.CANCELLED
    statuses = {(await outbox.get(services.db, key)).status for key in ("t:a", "t:b")}
    assert statuses <= {OutboxStatus.FAILED, OutboxStatus.CANCELLED} and OutboxStatus.FAILED in statuses
    told = [m for m in sender.to(SECRETARY_ID) if m.template == "common/unreachable.j2"]
    assert [m.params["name"] for m in told] == [member.name]


class SlowTick:
    """A tick that runs until the test lets it end, counting its runs and whether two ever overlapped."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.started = asyncio.Event()
        self.runs = 0
        self.running = 0
        self.overlapped = False

    async def __call__(self, svc, now) -> None:
        self.runs += 1
        self.running += 1
        self.overlapped = self.overlapped or self.running > 1
        self.started.set()
        try:
            await self.release.wait()
            await plan(svc, f"tick:{self.runs}", SECRETARY_ID)  # what the tick planned, due now
        finally:
            self.running -= 1


async def test_a_long_tick_does_not_hold_up_sending(services, branch, sender):
    """While a tick runs (a county's start-up planning, say), the drain job and wakes send what is due: ticks go
    in their own task, and drains meanwhile start no second tick run. When the tick ends, what it planned is sent,
    once; `drain_now` waits for the tick run in progress and runs the ticks once more, never two at a time."""
    tick = SlowTick()
    svc = Services(db=services.db, settings=services.settings, clock=services.clock,
                   features=Registry.from_features([Feature(name="slow", ticks=(tick,))]))
    drainer = Drainer(svc, sender, notify.member_unreachable)
    await plan(svc, "t:due", SECRETARY_ID)

    await drainer.drain()  # starts the ticks
    await tick.started.wait()
    await drainer.drain()  # the next drain job, or a wake, while the tick runs
    assert keys_sent(sender) == ["t:due"] and tick.running == 1
    await plan(svc, "t:meanwhile", SECRETARY_ID)
    await drainer.drain()
    assert keys_sent(sender) == ["t:due", "t:meanwhile"] and tick.runs == 1

    tick.release.set()
    await drainer.drain_now()
    assert tick.runs == 2 and not tick.overlapped
    assert sorted(keys_sent(sender)) == ["t:due", "t:meanwhile", "tick:1", "tick:2"]
    assert (await outbox.get(svc.db, "tick:1")).status is OutboxStatus.SENT


async def test_ticks_run_at_most_once_a_minute_through_drain(services, branch, sender):
    """The drain job and every wake call drain(); the ticks (tens of ms for a county) run on the first and then
    once a minute, while the drains in between still send what is due; a clock moved back runs them again."""
    runs = []

    async def counted(svc, now) -> None:
        runs.append(now)

    svc = Services(db=services.db, settings=services.settings, clock=services.clock,
                   features=Registry.from_features([Feature(name="counted", ticks=(counted,))]))
    drainer = Drainer(svc, sender, notify.member_unreachable)
    await drainer.drain()
    await drainer.wait_for_ticks()
    await plan(svc, "t:between", SECRETARY_ID)
    await drainer.drain()  # a wake within the minute: sends, no ticks
    assert len(runs) == 1 and keys_sent(sender) == ["t:between"]
    services.clock.advance(seconds=59)
    await drainer.drain()
    assert len(runs) == 1
    services.clock.advance(seconds=1)
    await drainer.drain()
    await drainer.wait_for_ticks()
    assert len(runs) == 2
    services.clock.advance(hours=-1)
    await drainer.drain()
    await drainer.wait_for_ticks()
    assert len(runs) == 3


async def test_old_finished_rows_are_pruned_once_a_day(services, cast, drainer, sender, clock):
    """Rows sent more than ZHIBU_OUTBOX_KEEP_DAYS ago are deleted by the first drain of a day, younger ones kept;
    later drains that day do not prune again."""
    member = cast.people[0]
    for key in ("t:old", "t:young"):
        await plan(services, key, member.telegram_id, member_id=member.id, branch_id=cast.branch_id)
    await drainer.drain_now()  # sends both; today's prune found nothing old
    assert {r.status for r in await outbox.by_prefix(services.db, "t:")} == {OutboxStatus.SENT}
    async with services.db.write() as tx:  # one of them was sent long ago
        await tx.execute("UPDATE outbox SET updated_at = ? WHERE key = 't:old'",
                         (to_db(clock.now() - timedelta(days=services.settings.outbox_keep_days + 1)),))
    await drainer.drain_now()
    assert [r.key for r in await outbox.by_prefix(services.db, "t:")] == ["t:old", "t:young"]

    clock.advance(days=1)
    await drainer.drain_now()
    assert [r.key for r in await outbox.by_prefix(services.db, "t:")] == ["t:young"]


async def test_one_chats_messages_arrive_in_the_order_queued_while_other_chats_go_on(services, cast, drainer):
    """Two messages queued for one chat in one transaction arrive in that order even when the first is slower on
    the wire; a message to another chat is not held up behind them."""
    first, other = cast.people[0], cast.people[1]
    arrived: list[str] = []
    slow = {"t:approved": 20}  # event-loop turns this request takes on the wire

    async def wire(chat_id: int, message: Outgoing) -> SendResult:
        for _ in range(slow.get(message.params["name"], 0)):
            await asyncio.sleep(0)
        arrived.append(message.params["name"])
        return SendResult(Delivery.SENT, message_id=len(arrived))

    now = services.now()
    async with services.db.write() as tx:
        for key, member in (("t:approved", first), ("t:catch-up", first), ("t:elsewhere", other)):
            await outbox.upsert(tx, Planned(key=key, chat_id=member.telegram_id, kind="test", payload=ping(key),
                                            due_at=now, urgent=True, member_id=member.id,
                                            branch_id=cast.branch_id), now)
    drainer.send = wire
    await drainer.drain_now()
    assert [key for key in arrived if key != "t:elsewhere"] == ["t:approved", "t:catch-up"]
    assert arrived.index("t:elsewhere") < arrived.index("t:approved")
