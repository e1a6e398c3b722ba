from datetime import timedelta

from bot.domain.outbox import OutboxStatus, Planned
from bot.outgoing import Outgoing
from storage import outbox
from storage.times import to_db


def planned(key: str, due, **kw) -> Planned:
    return Planned(key=key, chat_id=42, kind="test", payload=Outgoing(template="common/hint.j2"), due_at=due, **kw)


async def test_planning_twice_creates_one_row(db, clock):
    """The same key planned twice is one row, with the newer due time while still pending."""
    await outbox.upsert(db, planned("k:1", clock.now()), clock.now())
    await outbox.upsert(db, planned("k:1", clock.now() + timedelta(hours=1)), clock.now())
    rows = await outbox.by_prefix(db, "k:")
    assert len(rows) == 1
    assert rows[0].due_at == clock.now() + timedelta(hours=1)


async def test_replanning_a_sent_row_changes_nothing(db, clock):
    """Once sent, re-planning the same key neither resets nor re-sends it."""
    await outbox.upsert(db, planned("k:1", clock.now()), clock.now())
    [row] = await outbox.claim_due(db, clock.now(), 10)
    await outbox.finish(db, row.id, OutboxStatus.SENT, clock.now(), message_id=5)
    await outbox.upsert(db, planned("k:1", clock.now() + timedelta(days=1)), clock.now())
    again = await outbox.get(db, "k:1")
    assert again.status is OutboxStatus.SENT and again.due_at == clock.now()
    assert await outbox.claim_due(db, clock.now() + timedelta(days=2), 10) == []


async def test_claim_takes_only_due_rows_once(db, clock):
    """Only due pending rows are claimed, and a claimed row is not claimed again."""
    await outbox.upsert(db, planned("k:now", clock.now()), clock.now())
    await outbox.upsert(db, planned("k:later", clock.now() + timedelta(hours=1)), clock.now())
    first = await outbox.claim_due(db, clock.now(), 10)
    assert [r.key for r in first] == ["k:now"]
    assert await outbox.claim_due(db, clock.now(), 10) == []


async def test_interrupted_send_is_released_once(db, clock):
    """A row left 'sending' by a crash returns to pending at start, so it goes out (once more at most)."""
    await outbox.upsert(db, planned("k:1", clock.now()), clock.now())
    await outbox.claim_due(db, clock.now(), 10)
    assert await outbox.release_interrupted(db, clock.now()) == 1
    assert await outbox.release_interrupted(db, clock.now()) == 0
    assert [r.key for r in await outbox.claim_due(db, clock.now(), 10)] == ["k:1"]


async def test_cancel_prefix_keeps_named_rows(db, clock):
    """Re-planning an event cancels its reminders that are no longer planned, and keeps the rest."""
    for key in ("ev:1:a", "ev:1:b", "ev:2:a"):
        await outbox.upsert(db, planned(key, clock.now()), clock.now())
    assert await outbox.cancel_prefix(db, "ev:1:", clock.now(), keep={"ev:1:a"}) == 1
    statuses = {r.key: r.status for r in await outbox.by_prefix(db, "ev:")}
    assert statuses == {"ev:1:a": "pending", "ev:1:b": "cancelled", "ev:2:a": "pending"}


async def test_prune_deletes_old_finished_rows_only(db, clock):
    """Old sent/skipped/expired/cancelled rows go; failed, pending, recent ones and unreachable members' cancelled
    rows that could still come back stay; the limit caps one batch."""
    now = clock.now()
    old = now - timedelta(days=40)
    for name in ("sent", "skipped", "expired", "cancelled", "failed", "pending", "recent", "unreachable", "lapsed"):
        expires = now - timedelta(days=35) if name == "lapsed" else None
        await outbox.upsert(db, planned(f"p:{name}", old, expires_at=expires), old)
    for name, status in (("sent", OutboxStatus.SENT), ("skipped", OutboxStatus.SKIPPED),
                         ("expired", OutboxStatus.EXPIRED), ("cancelled", OutboxStatus.CANCELLED),
                         ("failed", OutboxStatus.FAILED)):
        await outbox.finish(db, (await outbox.get(db, f"p:{name}")).id, status, old)
    await outbox.finish(db, (await outbox.get(db, "p:recent")).id, OutboxStatus.SENT, now)
    for name in ("unreachable", "lapsed"):
        await db.execute("UPDATE outbox SET status = 'cancelled', last_error = ?, updated_at = ? WHERE key = ?",
                         (outbox.UNREACHABLE, to_db(old), f"p:{name}"))
    before = now - timedelta(days=30)
    assert await outbox.prune(db, before, 3) == 3
    assert await outbox.prune(db, before, 100) == 2
    assert await outbox.prune(db, before, 100) == 0
    left = {r.key for r in await outbox.by_prefix(db, "p:")}
    assert left == {"p:failed", "p:pending", "p:recent", "p:unreachable"}
