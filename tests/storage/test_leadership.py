"""One process leads a bot: on PostgreSQL an advisory lock that moves when its holder's connection ends; on
SQLite one process per database file."""

from __future__ import annotations

import pytest

from storage.leadership import AnotherProcessRuns, leadership_for


async def test_one_leader_at_a_time_and_the_lead_moves_when_it_ends(engine, target):
    """A second process does not lead while the first does; when the first ends (PostgreSQL: its connection is
    cut, as when the process is killed), the second leads at its next try. SQLite refuses the second outright."""
    first, second = leadership_for(target), leadership_for(target)
    try:
        assert await first.try_lead() and await first.try_lead()
        if engine == "sqlite":
            with pytest.raises(AnotherProcessRuns, match="another zhibu process"):
                await second.try_lead()
            await first.close()
            assert await second.try_lead()
            return
        assert not await second.try_lead() and not second.leads
        pid = (await (await first._conn.execute("SELECT pg_backend_pid()")).fetchone())[0]
        await second._conn.execute("SELECT pg_terminate_backend(%s)", (pid,))  # the leader's connection is gone
        assert not await first.try_lead() and not first.leads
        assert await second.try_lead()
        assert not await first.try_lead()  # reconnected, and the lead is the other's now
    finally:
        await first.close()
        await second.close()


async def test_a_nudge_from_another_process_reaches_the_leader_at_its_next_check(engine, target):
    """PostgreSQL: a process that does not lead and queued messages to send at once nudges the leader (NOTIFY); the
    leader hears it when it next checks its lead. Nobody else hears it."""
    if engine == "sqlite":
        pytest.skip("SQLite has one process: it always leads and sends itself")
    leader, other = leadership_for(target), leadership_for(target)
    heard: list[str] = []
    leader.on_nudge = lambda: heard.append("leader")
    other.on_nudge = lambda: heard.append("other")
    try:
        assert await leader.try_lead() and not await other.try_lead()
        await other.nudge()
        assert heard == []  # not yet read: the leader's connection was idle
        assert await leader.try_lead()
        assert heard == ["leader"]
    finally:
        await leader.close()
        await other.close()
