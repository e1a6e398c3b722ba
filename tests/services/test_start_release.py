"""At start, the rows a crashed process left mid-send: on SQLite the lock file proves this process alone, so they go
out at once; on PostgreSQL another process may still hold them, so they wait for their lease."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.outbox import OutboxStatus, Planned
from bot.outgoing import Outgoing
from bot.scheduler import LEASE
from bot.services import Services
from storage import outbox
from storage.leadership import leadership_for

KEYS = ["crash:1", "crash:2", "crash:3"]


async def _left_mid_send_by_a_dead_process(svc: Services, chat_id: int) -> None:
    now = svc.now()
    async with svc.db.write() as tx:
        for key in KEYS:
            await outbox.upsert(tx, Planned(key=key, chat_id=chat_id, kind="test", due_at=now,
                                            payload=Outgoing(template="common/unreachable.j2", params={"name": key})),
                                now)
    async with svc.db.write(row_locks=True) as tx:
        claimed = await outbox.claim_due(tx, now, 10, holder="gone:4242:abcdef", lease=LEASE)
    assert sorted(row.key for row in claimed) == KEYS


async def test_rows_left_mid_send_go_out_at_once_on_sqlite_and_after_the_lease_on_postgresql(
        services, cast, drainer, sender, clock, engine, target):
    """Three rows leased by a process that died: with SQLite's lock file held, recover releases them and the first
    drain sends each exactly once, at once; on PostgreSQL they stay leased until the lease runs out, then go once."""
    await _left_mid_send_by_a_dead_process(services, cast.people[0].telegram_id)
    leadership = leadership_for(target)
    assert await leadership.try_lead()
    try:
        released = await drainer.recover(sole=leadership.sole)
        await drainer.drain_now()
        sent_at_once = sorted(message.params["name"] for _, message in sender.sent)
        if engine == "sqlite":
            assert leadership.sole and released == 3
            assert sent_at_once == KEYS
        else:
            assert not leadership.sole and released == 0
            assert sent_at_once == []
            clock.advance(seconds=LEASE.total_seconds())
            await drainer.drain_now()
    finally:
        await leadership.close()
    await drainer.drain_now()
    assert sorted(message.params["name"] for _, message in sender.sent) == KEYS  # each once
    for key in KEYS:
        row = await outbox.get(services.db, key)
        assert row is not None and row.status is OutboxStatus.SENT


async def test_without_the_proof_a_lease_still_running_is_left_alone(services, cast, drainer, sender, clock):
    """Without the proof (recover as on PostgreSQL), rows another holder leased a moment ago stay with it."""
    await _left_mid_send_by_a_dead_process(services, cast.people[0].telegram_id)
    clock.advance(seconds=(LEASE - timedelta(seconds=1)).total_seconds())
    assert await drainer.recover() == 0
    await drainer.drain_now()
    assert sender.sent == []
