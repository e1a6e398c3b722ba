"""党小组: the secretary puts members into party groups (and names new ones) from /members, so a 党小组会 can be
scheduled; the 党小组长 role is a toggle on the same card."""

from __future__ import annotations

from bot.domain.models import Member
from bot.errors import UserError
from bot.keys import refs
from bot.services import Services, membership
from bot.services.scheduling import party_groups
from storage import audit, conversations, members

FORM = "party_group_new"
NAME_MAX = 20


async def picker(svc: Services, telegram_id: int, member_id: int) -> tuple[Member, list[str]]:
    """(the member, the branch's groups) for the approver's group picker."""
    _, member = await membership.member_in_my_branch(svc, telegram_id, member_id)
    if not member.is_active:
        raise UserError("membership/not_active.j2", name=member.name)
    return member, party_groups(await members.in_branch(svc.db, member.branch_id))


async def put(svc: Services, telegram_id: int, member_id: int, index: int | None) -> Member:
    """Into the group at `index` of the branch's groups (None: out of any group)."""
    member, groups = await picker(svc, telegram_id, member_id)
    if index is not None and not 0 <= index < len(groups):
        raise UserError("common/stale.j2")
    return await _set(svc, telegram_id, member, groups[index] if index is not None else None)


async def begin_new(svc: Services, telegram_id: int, member_id: int) -> Member:
    member, _ = await picker(svc, telegram_id, member_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "name", {"member_id": member.id}, svc.now())
    return member


async def new_typed(svc: Services, telegram_id: int, text: str | None, data: dict) -> Member:
    """The name of a new group was typed: the member is put in it."""
    member, _ = await picker(svc, telegram_id, data.get("member_id", 0))
    name = " ".join((text or "").split())
    if not name or len(name) > NAME_MAX:
        raise UserError("partygroups/bad_name.j2", max=NAME_MAX)
    member = await _set(svc, telegram_id, member, name)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    return member


async def _set(svc: Services, telegram_id: int, member: Member, group: str | None) -> Member:
    actor = await membership.approver(svc, telegram_id, member.branch_id)
    now = svc.now()
    async with svc.db.write() as db:
        await members.set_party_group(db, member.id, group, now)
        await audit.record(db, now=now, action="member.party_group", branch_id=member.branch_id, actor_id=actor.id,
                           subject=refs.member(member.id), group=group)
        return await members.get(db, member.id)
