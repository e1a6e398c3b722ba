"""The reminder engine on the real bot: catch-up, no repeats, Telegram's 429, 403 and 5xx over HTTP. (Expiry and
quiet hours are rules of the drain: tests/services/test_drainer.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.outbox import OutboxStatus, Planned
from bot.outgoing import Outgoing
from bot.scheduler import LEASE
from storage import members, outbox
from storage.db import open_database
from tests.e2e.helpers import create_branch, join
from tests.support import ENGINES


async def plan(harness, key: str, member, *, due, expires=None, urgent=False):
    """Plan a reminder straight into the database, as a feature would (works while the bot is stopped too)."""
    db = await open_database(harness.settings.db)
    try:
        async with db.write() as tx:
            await outbox.upsert(tx, Planned(key=key, chat_id=member.telegram_id, kind="test", due_at=due,
                                            expires_at=expires, branch_id=member.branch_id, member_id=member.id,
                                            payload=Outgoing(template="common/cancelled.j2",
                                                            params={"had_form": True, "resume": "/minutes"}),
                                            urgent=urgent),
                                harness.clock.now())
    finally:
        await db.close()


async def setup_member(harness, user_id=2001, name="李红梅"):
    await create_branch(harness)
    user = harness.emu.user(user_id, "M")
    await join(harness, user, name)
    return user, await members.by_telegram_id(harness.svc.db, user_id)


async def test_catch_up_after_downtime_and_no_repeat_after_restart(harness):
    """Reminders due while the bot was down go out once at start; another restart sends nothing again."""
    user, member = await setup_member(harness)
    await harness.stop()
    await plan(harness, "t:catchup", member, due=harness.clock.now() - timedelta(hours=2))
    harness.clock.advance(minutes=5)
    await harness.start()  # post_init schedules the first drain immediately
    await user.expect("填写过的内容都已保存")
    await harness.restart()
    await harness.drain()
    await harness.emu.idle()
    texts = [m for m in user.texts() if "填写过的内容都已保存" in m]
    assert len(texts) == 1
    assert (await outbox.get(harness.svc.db, "t:catchup")).status is OutboxStatus.SENT


@pytest.mark.parametrize("engine", ENGINES)
async def test_interrupted_send_goes_out_at_the_restart_on_sqlite_after_its_lease_on_postgresql(harness, engine):
    """A row left 'sending' by a killed process: on SQLite (the lock file proves the restarted bot alone) it goes
    out at the restart's first drain; on PostgreSQL it stays with its holder until the lease runs out, then is sent.
    Either way once."""
    user, member = await setup_member(harness)
    await harness.stop()
    await plan(harness, "t:crash", member, due=harness.clock.now())
    db = await open_database(harness.settings.db)
    try:
        async with db.write() as tx:  # what a killed process leaves behind
            await outbox.claim_due(tx, harness.clock.now(), 10, holder="killed", lease=LEASE)
    finally:
        await db.close()
    await harness.start()
    await harness.drain()
    if engine == "postgresql":
        assert (await outbox.get(harness.svc.db, "t:crash")).status is OutboxStatus.SENDING
        harness.clock.advance(seconds=LEASE.total_seconds())
        await harness.drain()
    await user.expect("填写过的内容都已保存")
    assert (await outbox.get(harness.svc.db, "t:crash")).status is OutboxStatus.SENT
    await harness.emu.idle()
    assert len([t for t in user.texts() if "填写过的内容都已保存" in t]) == 1


async def test_429_is_retried_after_retry_after(harness):
    """Telegram's 429 with retry_after is honoured and the message still arrives exactly once."""
    user, member = await setup_member(harness)
    harness.emu.fail("sendMessage", code=429, retry_after=1, chat_id=user.id, times=1)
    await plan(harness, "t:429", member, due=harness.clock.now())
    await harness.drain()
    await user.expect("填写过的内容都已保存")
    assert (await outbox.get(harness.svc.db, "t:429")).status is OutboxStatus.SENT
    await harness.emu.idle()
    assert len([t for t in user.texts() if "填写过的内容都已保存" in t]) == 1


async def test_blocked_member_marked_unreachable_and_secretary_told_once(harness):
    """403: the member is marked unreachable, their other reminders cancelled, the secretary told once."""
    user, member = await setup_member(harness)
    secretary = harness.emu.user(1001, "王")
    user.block()
    now = harness.clock.now()
    await plan(harness, "t:403a", member, due=now)
    await plan(harness, "t:403b", member, due=now)
    await plan(harness, "t:403later", member, due=now + timedelta(days=1))
    await harness.drain()
    await harness.drain()
    warning = await secretary.expect("已屏蔽本机器人")
    assert member.name in warning.plain
    assert not (await members.get(harness.svc.db, member.id)).reachable
    assert (await outbox.get(harness.svc.db, "t:403later")).status is OutboxStatus.CANCELLED
    await harness.emu.idle()
    assert len([t for t in secretary.texts() if "已屏蔽本机器人" in t]) == 1

    # They unblock the bot: reachable again, and what is still of use comes back (sent ones stay sent).
    user.unblock()
    await harness.emu.idle()
    assert (await members.get(harness.svc.db, member.id)).reachable
    assert (await outbox.get(harness.svc.db, "t:403later")).status is OutboxStatus.PENDING
    harness.clock.advance(days=1, minutes=1)
    await harness.drain()
    await user.expect("填写过的内容都已保存")


async def test_server_errors_back_off_then_fail_visibly_in_the_digest(harness):
    """Telegram's 5xx: retried with growing waits; after the last attempt the row fails and the next morning's
    digest tells the secretary who did not get what."""
    from bot.scheduler import MAX_ATTEMPTS

    user, member = await setup_member(harness)
    secretary = harness.emu.user(1001, "王")
    harness.emu.fail("sendMessage", 502, chat_id=user.id, times=MAX_ATTEMPTS, description="Bad Gateway")
    await plan(harness, "t:5xx", member, due=harness.clock.now())
    waits = []
    for attempt in range(1, MAX_ATTEMPTS):
        await harness.drain()
        row = await outbox.get(harness.svc.db, "t:5xx")
        assert row.status is OutboxStatus.PENDING and row.attempts == attempt and "Bad Gateway" in row.last_error
        waits.append(row.due_at - harness.clock.now())
        harness.clock.set(row.due_at)
    assert waits == sorted(waits) and waits[0] > timedelta(0)  # each wait at least as long as the one before
    await harness.drain()
    assert (await outbox.get(harness.svc.db, "t:5xx")).status is OutboxStatus.FAILED
    await harness.emu.idle()
    assert not [t for t in user.texts() if "填写过的内容都已保存" in t]

    # The secretary's digest the next morning (08:30 in Shanghai = 00:30 UTC) names the member.
    tomorrow = harness.clock.now().replace(hour=0, minute=31) + timedelta(days=1)
    harness.clock.set(tomorrow)
    await harness.drain()
    digest = await secretary.expect("未能送达")
    assert member.name in digest.plain
