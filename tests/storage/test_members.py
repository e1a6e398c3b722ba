
from datetime import date

import pytest

from bot.domain.models import MemberStatus
from bot.domain.roles import Role
from storage import audit, branches, conversations, members, talks
from storage.db import transaction
from tests.support import INTEGRITY_ERRORS


async def test_member_roundtrip_with_roles(db, clock):
    """A member comes back as a pydantic model with its roles."""
    branch = await branches.create(db, "一支部", clock.now())
    created = await members.create(db, branch_id=branch.id, telegram_id=7, name="张三", status=MemberStatus.ACTIVE,
                                   now=clock.now(), roles=[Role.SECRETARY, Role.PROBATIONARY])
    again = await members.by_telegram_id(db, 7)
    assert again == created
    assert again.roles == {Role.SECRETARY, Role.PROBATIONARY}
    assert again.is_approver


async def test_one_live_membership_per_person(db, clock):
    """The same Telegram user cannot be pending/active in two branches; left rows do not count."""
    a = await branches.create(db, "一支部", clock.now())
    b = await branches.create(db, "二支部", clock.now())
    first = await members.create(db, branch_id=a.id, telegram_id=7, name="张三", status=MemberStatus.ACTIVE, now=clock.now())
    with pytest.raises(INTEGRITY_ERRORS):
        await members.create(db, branch_id=b.id, telegram_id=7, name="张三", status=MemberStatus.PENDING, now=clock.now())
    await members.set_status(db, first.id, MemberStatus.LEFT, clock.now())
    moved = await members.create(db, branch_id=b.id, telegram_id=7, name="张三", status=MemberStatus.PENDING, now=clock.now())
    assert (await members.by_telegram_id(db, 7)).id == moved.id


async def test_reachable_flag_reports_change_once(db, clock):
    """Marking unreachable twice reports a change only the first time (the secretary is told once)."""
    branch = await branches.create(db, "一支部", clock.now())
    m = await members.create(db, branch_id=branch.id, telegram_id=8, name="李四", status=MemberStatus.ACTIVE, now=clock.now())
    assert await members.set_reachable(db, m.id, False, clock.now()) is True
    assert await members.set_reachable(db, m.id, False, clock.now()) is False


async def test_transaction_rolls_back_on_error(db, clock):
    """A failed use case leaves nothing behind."""
    with pytest.raises(RuntimeError):
        async with transaction(db):
            await branches.create(db, "半途", clock.now())
            await audit.record(db, now=clock.now(), action="x", branch_id=None, actor_id=None)
            raise RuntimeError("boom")
    assert await branches.all_ids(db) == []


async def test_conversation_saved_and_replaced(db, clock):
    """A form's state is saved, replaced by the next step, and cleared."""
    await conversations.save(db, 5, "join", "name", {"branch_id": 1}, clock.now())
    await conversations.save(db, 5, "join", "done", {"branch_id": 1, "name": "王五"}, clock.now())
    saved = await conversations.get(db, 5)
    assert (saved.step, saved.data["name"]) == ("done", "王五")
    await conversations.clear(db, 5)
    assert await conversations.get(db, 5) is None


async def test_with_role_finds_only_the_branchs_active_holders(db, clock):
    """with_role returns the branch's active members holding one of the roles, not other branches' or left ones."""
    now = clock.now()
    first, second = [await branches.create(db, name, now) for name in ("一支部", "二支部")]
    wanted = await members.create(db, branch_id=first.id, telegram_id=1, name="甲", status=MemberStatus.ACTIVE,
                                  now=now, roles=[Role.PROBATIONARY])
    await members.create(db, branch_id=first.id, telegram_id=2, name="乙", status=MemberStatus.ACTIVE, now=now)
    await members.create(db, branch_id=second.id, telegram_id=3, name="丙", status=MemberStatus.ACTIVE, now=now,
                         roles=[Role.PROBATIONARY])
    gone = await members.create(db, branch_id=first.id, telegram_id=4, name="丁", status=MemberStatus.ACTIVE,
                                now=now, roles=[Role.PROBATIONARY])
    await members.set_status(db, gone.id, MemberStatus.LEFT, now)
    found = await members.with_role(db, first.id, [Role.PROBATIONARY, Role.SECRETARY])
    assert [m.id for m in found] == [wanted.id]


async def test_names_without_talk_leaves_out_those_talked_with_in_the_window(db, clock):
    """names_without_talk lists each branch's active members with no talk in it between the two days (a branch
    whose members all talked is left out)."""
    now = clock.now()
    branch = await branches.create(db, "一支部", now)
    people = [await members.create(db, branch_id=branch.id, telegram_id=10 + i, name=name,
                                   status=MemberStatus.ACTIVE, now=now) for i, name in enumerate(("甲", "乙", "丙"))]
    await talks.add(db, branch_id=branch.id, member_id=people[0].id, talker_id=people[2].id, day=date(2026, 3, 1),
                    topic="谈心", now=now)
    await talks.add(db, branch_id=branch.id, member_id=people[1].id, talker_id=people[2].id, day=date(2025, 12, 1),
                    topic="谈心", now=now)  # before the window
    other = await branches.create(db, "二支部", now)
    talked = await members.create(db, branch_id=other.id, telegram_id=20, name="戊", status=MemberStatus.ACTIVE,
                                  now=now)
    await talks.add(db, branch_id=other.id, member_id=talked.id, talker_id=talked.id, day=date(2026, 5, 1),
                    topic="谈心", now=now)
    found = await talks.names_without_talk(db, [branch.id, other.id], date(2026, 1, 1), date(2027, 4, 1))
    assert found == {branch.id: ["乙", "丙"]}
