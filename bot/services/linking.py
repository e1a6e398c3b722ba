"""Personal links: an imported (or phone-less) member is on the roster before they have Telegram; the secretary
forwards them their own deep link, and opening it ties their Telegram account to that roster row."""

from __future__ import annotations

from bot.domain import deep_links
from bot.domain.models import Member, MemberStatus
from bot.errors import UserError
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, membership, notify
from storage import audit, branches, members
from storage import roster as store

CODE_BYTES = 12  # 16 characters: unguessable, and distinct from a branch invitation's 12


async def personal_code(svc: Services, telegram_id: int, member_id: int) -> tuple[Member, str]:
    """The member's personal link code, for their branch's approver; refused once they are linked."""
    _, member = await membership.member_in_my_branch(svc, telegram_id, member_id)
    if not member.is_active:
        raise UserError("membership/not_active.j2", name=member.name)
    if member.telegram_id is not None:
        raise UserError("roster/already_linked_member.j2", name=member.name)
    async with svc.db.write() as db:
        code = await store.ensure_link_code(db, member.id, deep_links.random_code(CODE_BYTES))
    return member, code


async def claim(svc: Services, telegram_id: int, code: str) -> Member | None:
    """The person opened a personal link: they are now that member. None when the code is no personal link."""
    member_id = await store.by_link_code(svc.db, code)
    if member_id is None:
        return None
    now = svc.now()
    async with svc.db.write() as db:
        if await members.by_telegram_id(db, telegram_id):
            raise UserError("join/already.j2")
        if not await store.link_telegram(db, member_id, telegram_id, now):
            raise UserError("join/bad_code.j2")
        member = await members.get(db, member_id)
        await audit.record(db, now=now, action="member.link", branch_id=member.branch_id, actor_id=member.id,
                           subject=refs.member(member.id))
        for hook in svc.features.join_hooks:  # catch them up on what is under way
            await hook(svc, db, member, now)
    svc.wake_outbox()
    return member


async def roster_match(svc: Services, branch_id: int, name: str) -> int | None:
    """The unlinked roster row a person joining by the branch link most likely is (one of that name), if any."""
    found = await store.unlinked_named(svc.db, branch_id, name)
    return found[0] if len(found) == 1 else None


async def branch_name(svc: Services, member: Member) -> str:
    branch = await branches.get(svc.db, member.branch_id)
    return branch.name if branch else ""


async def approve_as_roster(svc: Services, telegram_id: int, pending_id: int) -> membership.JoinDecision:
    """通过 on a join card whose name is one unlinked roster row: that row gets the person's Telegram account (the
    request itself is closed), so the roster's details and groups stay and nobody is on the roster twice."""
    candidate = await members.get(svc.db, pending_id)
    if candidate is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, candidate.branch_id)
    if candidate.status is not MemberStatus.PENDING:
        return membership.JoinDecision(candidate, candidate.status is MemberStatus.ACTIVE, already=True)
    found = await store.unlinked_named(svc.db, candidate.branch_id, candidate.name)
    if len(found) != 1:
        raise UserError("common/stale.j2")
    now = svc.now()
    async with svc.db.write() as db:
        await members.set_status(db, candidate.id, MemberStatus.REJECTED, now)  # the request, not the person
        await store.link_telegram(db, found[0], candidate.telegram_id, now)
        await audit.record(db, now=now, action="member.approve_as_roster", branch_id=candidate.branch_id,
                           actor_id=actor.id, subject=refs.member(found[0]), request=candidate.id)
        member = await members.get(db, found[0])
        branch = await branches.get(db, member.branch_id)
        await notify.to_member(svc, db, member, Outgoing(template="join/approved.j2",
                                                         params={"name": member.name, "branch": branch.name}),
                               kind="join.outcome")
        for hook in svc.features.join_hooks:
            await hook(svc, db, member, now)
    svc.wake_outbox()
    return membership.JoinDecision(member, True, already=False)
