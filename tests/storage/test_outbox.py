from datetime import timedelta

import pytest

from bot.domain.models import MemberStatus
from bot.domain.outbox import OutboxStatus, Planned
from bot.outgoing import Outgoing
from storage import branches, members, outbox
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


async def test_converge_inserts_revives_and_cancels_within_its_scope_only(db, clock):
    """Converging an event's scope: missing rows inserted, a row cancelled earlier comes back when wanted again,
    rows no longer wanted are cancelled, a sent row stays sent, and rows of another scope are untouched."""
    now = clock.now()
    await outbox.converge(db, "ev:1:", [planned("ev:1:a", now), planned("ev:1:b", now), planned("ev:1:c", now)], now)
    await outbox.upsert(db, planned("ev:10:a", now), now)
    [sent] = [r for r in await outbox.claim_due(db, now, 10) if r.key == "ev:1:c"]
    await outbox.finish(db, sent.id, OutboxStatus.SENT, now)
    await outbox.release_interrupted(db, now)  # the other claimed rows back to pending
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
        await outbox.finish(db, (await outbox.get(db, f"u:{key}")).id, OutboxStatus.FAILED, when)
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
