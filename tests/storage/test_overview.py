"""Oversight over a whole subtree: 900 branches in two 党委, their figures from a handful of queries."""

from __future__ import annotations

from datetime import timedelta

from bot.domain import overview as domain
from bot.domain.meetings import MeetingKind, Presence
from bot.domain.models import MemberStatus
from bot.domain.roles import Role
from storage import branches, meetings, members, units
from storage import overview as store
from storage.db import transaction


async def _county(db, clock, count: int = 900):
    """Two 党委 under the root; branch i goes to the first when i % 3 != 2. Each branch (made 60 days ago) has a
    secretary and a member; i % 3 == 0 held this month's theme day (the secretary present), i % 3 == 1 held a
    支委会 ten days ago, the rest did nothing (silent)."""
    now = clock.now()
    east = await units.create(db, "东镇党委", 1, now, "党委")
    west = await units.create(db, "西镇党委", 1, now, "党委")
    made = now - timedelta(days=60)
    for i in range(count):
        branch = await branches.create(db, f"第{i:03d}党支部", made)
        await units.place_branch(db, branch.id, west.id if i % 3 == 2 else east.id)
        secretary = await members.create(db, branch_id=branch.id, telegram_id=10_000 + i, name=f"书记{i}",
                                         status=MemberStatus.ACTIVE, now=made, roles=[Role.SECRETARY])
        await members.create(db, branch_id=branch.id, telegram_id=20_000 + i, name=f"党员{i}",
                             status=MemberStatus.ACTIVE, now=made)
        if i % 3 == 2:
            continue
        kind = MeetingKind.THEME_DAY if i % 3 == 0 else MeetingKind.COMMITTEE
        start = now - timedelta(days=10)
        meeting = await meetings.create(db, branch_id=branch.id, kind=kind, starts_at=start,
                                        ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=made,
                                        period="2026-11" if kind is MeetingKind.THEME_DAY else None)
        await meetings.record_presence(db, meeting.id, secretary.id, Presence.CHECKED_IN, None, start)
    return east, west


class _Counting:
    """The connection, counting the statements run through it (on either engine)."""

    def __init__(self, conn) -> None:
        self.conn, self.statements = conn, []

    def execute(self, sql, parameters=()):
        self.statements.append(sql)
        return self.conn.execute(sql, parameters)

    def executemany(self, sql, parameters):
        self.statements.append(sql)
        return self.conn.executemany(sql, parameters)


async def test_nine_hundred_branches_in_a_handful_of_queries(db, clock):
    """A 党委 with 600 of the 900 branches: its facts take five statements (not one per branch), hold only its
    branches with their secretaries, and the figures put silent branches first; the theme day's rate is 1 of 2."""
    async with transaction(db):  # one transaction: 900 branches' rows are written in a second, not one commit each
        east, west = await _county(db, clock)
    counting = _Counting(db)
    now = clock.now()
    facts = await store.subtree_facts(counting, [east.id], now, now - timedelta(days=200), now + timedelta(days=60))
    assert len(counting.statements) == 5
    assert len(facts.branches) == 600
    assert {int(b.name[1:4]) % 3 for b in facts.branches} == {0, 1}
    assert all(b.unit_name == "东镇党委" and b.active == 2 for b in facts.branches)
    assert facts.branches[0].secretaries == "书记0"

    west_figures = domain.figures(await store.subtree_facts(db, [west.id], now, now - timedelta(days=200),
                                                            now + timedelta(days=60)), "Asia/Shanghai", now)
    assert len(west_figures) == 300 and all(f.silent for f in west_figures)

    everything = domain.figures(await store.subtree_facts(db, [1], now, now - timedelta(days=200),
                                                          now + timedelta(days=60)), "Asia/Shanghai", now)
    assert len(everything) == 900
    assert [f.silent for f in everything] == [True] * 300 + [False] * 600  # worst first
    themed = next(f for f in everything if f.branch.name == "第000党支部")
    assert (themed.theme_day, themed.theme_rate) == ("held", 0.5)
    committee = next(f for f in everything if f.branch.name == "第001党支部")
    assert committee.theme_day == "none" and not committee.silent
