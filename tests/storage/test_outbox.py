import asyncio
from datetime import timedelta

import pytest

from bot.domain.models import MemberStatus
from bot.domain.outbox import OutboxStatus, Planned
from bot.outgoing import Outgoing
from storage import branches, members, outbox
from storage.times import to_db
from tests.support import finish_row

HOLDER = "test-drainer"
LEASE = timedelta(minutes=2)


async def claim(db, now, *, holder: str = HOLDER, limit: int = 10):
    return await outbox.claim_due(db, now, limit, holder=holder, lease=LEASE)


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
    [row] = await claim(db, clock.now())
    await outbox.finish(db, row.id, OutboxStatus.SENT, clock.now(), holder=HOLDER, message_id=5)
    await outbox.upsert(db, planned("k:1", clock.now() + timedelta(days=1)), clock.now())
    again = await outbox.get(db, "k:1")
    assert again.status is OutboxStatus.SENT and again.due_at == clock.now()
    assert await claim(db, clock.now() + timedelta(days=2)) == []


async def test_claim_takes_only_due_rows_once(db, clock):
    """Only due pending rows are claimed, and a claimed row is not claimed again."""
    await outbox.upsert(db, planned("k:now", clock.now()), clock.now())
    await outbox.upsert(db, planned("k:later", clock.now() + timedelta(hours=1)), clock.now())
    first = await claim(db, clock.now())
    assert [r.key for r in first] == ["k:now"]
    assert await claim(db, clock.now(), holder="other") == []


async def test_a_row_whose_lease_ran_out_is_reaped_once(db, clock):
    """A row left 'sending' by a holder that died stays held until its lease runs out, then returns to pending
    once, and another holder claims it."""
    await outbox.upsert(db, planned("k:1", clock.now()), clock.now())
    await claim(db, clock.now())
    assert await outbox.reap_expired(db, clock.now() + LEASE - timedelta(seconds=1)) == 0
    assert await outbox.reap_expired(db, clock.now() + LEASE) == 1
    assert await outbox.reap_expired(db, clock.now() + LEASE) == 0
    [again] = await claim(db, clock.now() + LEASE, holder="other")
    assert again.key == "k:1" and again.last_error == outbox.LEASE_EXPIRED


async def test_only_the_lease_holder_finishes_a_row(db, clock):
    """The fence: another holder's finish or retry changes nothing and says so; after the reaper gave the row to
    someone else, the old holder's late finish changes nothing either; the holder's own finish lands."""
    now = clock.now()
    await outbox.upsert(db, planned("k:1", now), now)
    [row] = await claim(db, now)
    assert not await outbox.finish(db, row.id, OutboxStatus.SENT, now, holder="other")
    assert not await outbox.retry_at(db, row.id, now, now, "x", holder="other")
    assert (await outbox.get(db, "k:1")).status is OutboxStatus.SENDING
    await outbox.reap_expired(db, now + LEASE)
    await claim(db, now + LEASE, holder="other")
    assert not await outbox.finish(db, row.id, OutboxStatus.SENT, now + LEASE, holder=HOLDER)
    assert await outbox.finish(db, row.id, OutboxStatus.SENT, now + LEASE, holder="other", message_id=7)
    done = await outbox.get(db, "k:1")
    assert done.status is OutboxStatus.SENT and done.message_id == 7 and done.attempts == 1


async def test_renewing_keeps_the_rows_held(db, clock):
    """A holder still sending renews its lease, and the reaper leaves its rows alone; rows left 'sending' with no
    lease at all (from before leases) are reaped at once."""
    now = clock.now()
    for key in ("k:1", "k:2"):
        await outbox.upsert(db, planned(key, now), now)
    [held] = await claim(db, now, limit=1)
    assert await outbox.renew(db, HOLDER, now + 2 * LEASE) == {held.id}
    assert await outbox.renew(db, "other", now + 2 * LEASE) == set()
    assert await outbox.reap_expired(db, now + LEASE) == 0
    await db.execute("UPDATE outbox SET status = 'sending', lease_until = NULL WHERE key = 'k:2'")
    assert await outbox.reap_expired(db, now) == 1
    assert (await outbox.get(db, "k:2")).status is OutboxStatus.PENDING


async def test_cancel_prefix_keeps_named_rows(db, clock):
    """Re-planning an event cancels its reminders that are no longer planned, and keeps the rest."""
    for key in ("ev:1:a", "ev:1:b", "ev:2:a"):
        await outbox.upsert(db, planned(key, clock.now()), clock.now())
    assert await outbox.cancel_prefix(db, "ev:1:", clock.now(), keep={"ev:1:a"}) == 1
    statuses = {r.key: r.status for r in await outbox.by_prefix(db, "ev:")}
    assert statuses == {"ev:1:a": "pending", "ev:1:b": "cancelled", "ev:2:a": "pending"}


async def test_converge_inserts_revives_and_cancels_within_its_scope_only(db, clock):
    """Converging an event's scope: missing rows inserted, a row cancelled earlier comes back when wanted again,
    rows no longer wanted are cancelled, a sent row stays sent, and rows of another scope are untouched."""
    now = clock.now()
    await outbox.converge(db, "ev:1:", [planned("ev:1:a", now), planned("ev:1:b", now), planned("ev:1:c", now)], now)
    await outbox.upsert(db, planned("ev:10:a", now), now)
    [sent] = [r for r in await claim(db, now) if r.key == "ev:1:c"]
    await outbox.finish(db, sent.id, OutboxStatus.SENT, now, holder=HOLDER)
    await outbox.reap_expired(db, now + LEASE)  # the other claimed rows back to pending
    await outbox.cancel_prefix(db, "ev:1:", now)  # e.g. the old way of re-planning

    later = now + timedelta(hours=2)
    done = await outbox.converge(db, "ev:1:", [planned("ev:1:a", later), planned("ev:1:c", later),
                                               planned("ev:1:d", later)], now)
    rows = {r.key: r for r in await outbox.by_prefix(db, "ev:")}
    assert (rows["ev:1:a"].status, rows["ev:1:a"].due_at) == (OutboxStatus.PENDING, later)
    assert rows["ev:1:b"].status is OutboxStatus.CANCELLED
    assert (rows["ev:1:c"].status, rows["ev:1:c"].due_at) == (OutboxStatus.SENT, now)
    assert rows["ev:1:d"].status is OutboxStatus.PENDING
    assert rows["ev:10:a"].status is OutboxStatus.PENDING
    assert (done.inserted, done.updated, done.cancelled) == (1, 1, 0)


async def test_converge_refuses_a_key_outside_its_scope(db, clock):
    """A planner that produces a key outside the scope it converges is a bug, not something to guess about."""
    with pytest.raises(ValueError, match="ev:2:a"):
        await outbox.converge(db, "ev:1:", [planned("ev:2:a", clock.now())], clock.now())
    assert await outbox.by_prefix(db, "ev:") == []


async def test_converge_many_refuses_overlapping_scopes(db, clock):
    """Two scopes where one contains the other (or the same one twice) would converge differently depending on the
    order: refused, and nothing is written."""
    now = clock.now()
    for plans in ([("ev:1:", [planned("ev:1:a", now)]), ("ev:1:a", [])],
                  [("ev:2:", []), ("ev:2:", [planned("ev:2:a", now)])]):
        with pytest.raises(ValueError, match="overlapping"):
            await outbox.converge_many(db, plans, now)
    assert await outbox.by_prefix(db, "ev:") == []


async def test_converge_many_works_on_each_scope_and_leaves_the_others(db, clock):
    """Many scopes in one call: each becomes its own wanted set (one cancelled, one inserted, one brought up to
    date), and a neighbouring scope in key order that is not named is untouched."""
    now, later = clock.now(), clock.now() + timedelta(hours=1)
    await outbox.converge_many(db, [("ev:1:", [planned("ev:1:a", now)]), ("ev:10:", [planned("ev:10:a", now)]),
                                    ("ev:2:", [planned("ev:2:a", now)])], now)
    done = await outbox.converge_many(db, [("ev:1:", []), ("ev:2:", [planned("ev:2:a", later),
                                                                      planned("ev:2:b", later)])], now)
    rows = {r.key: r for r in await outbox.by_prefix(db, "ev:")}
    assert rows["ev:1:a"].status is OutboxStatus.CANCELLED and rows["ev:1:a"].last_error == outbox.NO_LONGER_PLANNED
    assert (rows["ev:10:a"].status, rows["ev:10:a"].due_at) == (OutboxStatus.PENDING, now)
    assert [(rows[k].status, rows[k].due_at) for k in ("ev:2:a", "ev:2:b")] == [(OutboxStatus.PENDING, later)] * 2
    assert (done.inserted, done.updated, done.cancelled) == (1, 1, 1)


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
        await finish_row(db, (await outbox.get(db, f"p:{name}")).id, status, old)
    await finish_row(db, (await outbox.get(db, "p:recent")).id, OutboxStatus.SENT, now)
    for name in ("unreachable", "lapsed"):
        await db.execute("UPDATE outbox SET status = 'cancelled', last_error = ?, updated_at = ? WHERE key = ?",
                         (outbox.UNREACHABLE, to_db(old), f"p:{name}"))
    before = now - timedelta(days=30)
    assert await outbox.prune(db, before, 3) == 3
    assert await outbox.prune(db, before, 100) == 2
    assert await outbox.prune(db, before, 100) == 0
    left = {r.key for r in await outbox.by_prefix(db, "p:")}
    assert left == {"p:failed", "p:pending", "p:recent", "p:unreachable"}


async def test_concurrent_claims_take_different_rows_without_waiting(engine, target, clock):
    """PostgreSQL: while one claim's transaction is open, a second claim passes over the rows it locked and takes
    the next ones at once (FOR UPDATE SKIP LOCKED); neither gets a row twice. (SQLite has one writer.)"""
    if engine == "sqlite":
        pytest.skip("one writer at a time on SQLite: claims cannot overlap")
    from storage import postgresql

    now = clock.now()
    first, second = await postgresql.connect(target), await postgresql.connect(target)
    try:
        for k in range(6):
            await outbox.upsert(first, planned(f"c:{k}", now), now)
        await first.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        held = await claim(first, now, holder="first", limit=4)
        await second.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        taken = await asyncio.wait_for(claim(second, now, holder="second", limit=4), timeout=5)
        await second.execute("COMMIT")
        await first.execute("COMMIT")
    finally:
        await first.close()
        await second.close()
    assert len(held) == 4 and len(taken) == 2
    assert {r.key for r in held} | {r.key for r in taken} == {f"c:{k}" for k in range(6)}


async def test_undelivered_since_groups_failed_rows_by_branch(db, clock):
    """undelivered_since answers for many branches at once: each branch's failed rows since the moment, by member
    (None for its group), and nothing from before or from a branch not asked."""
    now = clock.now()
    first, second, third = [await branches.create(db, name, now) for name in ("一支部", "二支部", "三支部")]
    zhang = await members.create(db, branch_id=first.id, telegram_id=1, name="张三", status=MemberStatus.ACTIVE,
                                 now=now)
    rows = [("a", first.id, zhang.id, now), ("b", first.id, zhang.id, now), ("c", second.id, None, now),
            ("d", second.id, None, now - timedelta(days=2)), ("e", third.id, None, now)]
    for key, branch_id, member_id, when in rows:
        await outbox.upsert(db, planned(f"u:{key}", when, branch_id=branch_id, member_id=member_id), when)
        await finish_row(db, (await outbox.get(db, f"u:{key}")).id, OutboxStatus.FAILED, when)
    found = await outbox.undelivered_since(db, [first.id, second.id], now - timedelta(days=1))
    assert found == {first.id: [("张三", 2)], second.id: [(None, 1)]}


async def test_converge_many_writes_each_rows_own_payload_and_times_when_shared(db, clock):
    """Reminders sharing one payload object and their times are written with the right text and times each, beside
    one with a payload and times of its own."""
    now = clock.now()
    shared = Outgoing(template="common/hint.j2", params={"moment": "a"})
    own = Outgoing(template="common/hint.j2", params={"moment": "b"})
    later = now + timedelta(hours=2)
    wanted = [Planned(key=f"s:1:{i}", chat_id=i, kind="test", payload=shared, due_at=now, expires_at=later)
              for i in (1, 2)]
    wanted.append(Planned(key="s:1:3", chat_id=3, kind="test", payload=own, due_at=later))
    await outbox.converge_many(db, [("s:1:", wanted)], now)
    rows = {r.key: r for r in await outbox.by_prefix(db, "s:1:")}
    assert [rows[f"s:1:{i}"].payload.params for i in (1, 2, 3)] == [{"moment": "a"}, {"moment": "a"}, {"moment": "b"}]
    assert [(rows[f"s:1:{i}"].due_at, rows[f"s:1:{i}"].expires_at) for i in (1, 2, 3)] == \
        [(now, later), (now, later), (later, None)]
