"""Branches, invitations, joining, roles and leaving."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.callbacks import join as join_cb
from bot.callbacks import units as units_cb
from bot.domain import deep_links
from bot.domain.models import Branch, Invitation, Member, MemberStatus
from bot.domain.roles import APPROVER_ROLES, ASSIGNABLE_ROLES, Role
from bot.domain.units import ROOT_ID
from bot.errors import UserError
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, notify
from storage import audit, branches, conversations, invitations, members, outbox
from storage import roster as roster_store
from storage import units as unit_store
from storage.connection import Conn

NAME_MAX = 20
# Real names: Chinese characters (with the middle dot of minority names) or Latin letters and spaces.
_NAME = re.compile(r"^[\u4e00-\u9fff·•A-Za-z][\u4e00-\u9fff·•A-Za-z .'-]*$")


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def new_code() -> str:
    # 12 url-safe characters: unguessable, and short enough for a deep-link payload (≤ 64).
    return deep_links.random_code(9)


def clean_name(text: str) -> str:
    """A real name as typed, or UserError saying what a name should look like."""
    name = " ".join(text.split())
    if not name or len(name) > NAME_MAX or not _NAME.match(name):
        raise UserError("join/bad_name.j2", max=NAME_MAX)
    return name


async def member_of(svc: Services, telegram_id: int) -> Member | None:
    return await members.by_telegram_id(svc.db, telegram_id)


async def active_member(svc: Services, telegram_id: int) -> Member:
    member = await members.by_telegram_id(svc.db, telegram_id)
    if member is None or not member.is_active:
        raise UserError("common/not_member.j2")
    return member


async def approver(svc: Services, telegram_id: int, branch_id: int | None = None) -> Member:
    """The acting secretary (or deputy) — re-checked on every press, whatever the button said."""
    member = await active_member(svc, telegram_id)
    if not member.is_approver or (branch_id is not None and member.branch_id != branch_id):
        raise UserError("common/not_allowed.j2")
    return member


async def create_branch(
    svc: Services, name: str, secretary_telegram_id: int, secretary_name: str, tz: str | None = None
) -> tuple[Branch, Member, Invitation]:
    """Create a branch with its secretary and a first invitation (the command line's `branch create`)."""
    name = name.strip()
    if not name:
        raise ValueError("the branch needs a name")
    secretary_name = clean_name(secretary_name)
    now = svc.now()
    async with svc.db.write() as db:
        if await members.by_telegram_id(db, secretary_telegram_id):
            raise ValueError(f"Telegram user {secretary_telegram_id} already belongs to a branch")
        if await unit_store.branch_named(db, ROOT_ID, name) is not None:  # names are unique within a unit
            raise ValueError(f"a branch named {name!r} exists already under the county's root")
        branch = await branches.create(db, name, now, tz)
        secretary = await members.create(
            db,
            branch_id=branch.id,
            telegram_id=secretary_telegram_id,
            name=secretary_name,
            status=MemberStatus.ACTIVE,
            now=now,
            roles=[Role.SECRETARY],
        )
        invitation = await invitations.create(db, branch.id, new_code(), secretary.id, now)
        await audit.record(db, now=now, action="branch.create", branch_id=branch.id, actor_id=None,
                           subject=refs.branch(branch.id), name=name, secretary=secretary.id)
    return branch, secretary, invitation


async def current_invitation(svc: Services, telegram_id: int) -> Invitation:
    """The branch's live invitation, made on first use."""
    actor = await approver(svc, telegram_id)
    async with svc.db.write() as db:
        live = await invitations.live_for_branch(db, actor.branch_id)
        if live:
            return live
        live = await invitations.create(db, actor.branch_id, new_code(), actor.id, svc.now())
        await audit.record(db, now=svc.now(), action="invite.create", branch_id=actor.branch_id,
                           actor_id=actor.id, subject=refs.invite(live.id))
    return live


async def rotate_invitation(svc: Services, telegram_id: int) -> Invitation:
    """Revoke the old link and make a new one (a link that leaked stops working)."""
    actor = await approver(svc, telegram_id)
    now = svc.now()
    async with svc.db.write() as db:
        await invitations.revoke_all(db, actor.branch_id, now)
        live = await invitations.create(db, actor.branch_id, new_code(), actor.id, now)
        await audit.record(db, now=now, action="invite.rotate", branch_id=actor.branch_id,
                           actor_id=actor.id, subject=refs.invite(live.id))
    return live


async def revoke_invitation(svc: Services, telegram_id: int) -> int:
    actor = await approver(svc, telegram_id)
    now = svc.now()
    async with svc.db.write() as db:
        count = await invitations.revoke_all(db, actor.branch_id, now)
        await audit.record(db, now=now, action="invite.revoke", branch_id=actor.branch_id,
                           actor_id=actor.id, subject=refs.branch(actor.branch_id), revoked=count)
    return count


async def begin_join(svc: Services, telegram_id: int, code: str) -> Branch:
    """A new person opened an invite link: remember which branch, then ask for their real name."""
    invitation = await invitations.by_code(svc.db, code)
    if invitation is None or invitation.revoked_at is not None:
        raise UserError("join/bad_code.j2")
    branch = await branches.get(svc.db, invitation.branch_id)
    assert branch is not None
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "join", "name", {"branch_id": branch.id, "code": code}, svc.now())
    return branch


@dataclass
class JoinRequest:
    branch: Branch
    member: Member


async def submit_join_name(svc: Services, telegram_id: int, text: str, data: dict) -> JoinRequest:
    """The person typed their name: they become a pending member and the approvers get a card."""
    name = clean_name(text)
    invitation = await invitations.by_code(svc.db, data["code"])
    if invitation is None or invitation.revoked_at is not None:
        async with svc.db.write() as db:
            await conversations.clear(db, telegram_id)
        raise UserError("join/bad_code.j2")
    now = svc.now()
    async with svc.db.write() as db:
        if await members.by_telegram_id(db, telegram_id):
            await conversations.clear(db, telegram_id)
            raise UserError("join/already.j2")
        branch = await branches.get(db, invitation.branch_id)
        member = await members.create(db, branch_id=branch.id, telegram_id=telegram_id, name=name,
                                      status=MemberStatus.PENDING, now=now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="member.request", branch_id=branch.id, actor_id=member.id,
                           subject=refs.member(member.id), name=name)
        card = Outgoing(template="join/request_card.j2", params={"name": name, "branch": branch.name},
                        buttons=[await request_buttons(db, member)])
        for person in await members.with_role(db, branch.id, APPROVER_ROLES):
            await notify.to_member(svc, db, person, card, kind="join.card")
    svc.wake_outbox()
    return JoinRequest(branch=branch, member=member)


async def request_buttons(db: Conn, member: Member) -> list[Button]:
    """通过 — or 通过（即名册上的…）when the name is one unlinked roster row (imported, not linked yet: one tap
    links) — and 驳回, for a join card."""
    approve = button("join/approve", join_cb.approve(member.id))
    if len(await roster_store.unlinked_named(db, member.branch_id, member.name)) == 1:
        approve = button("roster/approve_as_roster", units_cb.join_as_roster(member.id), name=member.name)
    return [approve, button("join/reject", join_cb.reject(member.id))]


async def begin_add_offline(svc: Services, telegram_id: int) -> Member:
    """The secretary adds a member who has no smartphone (checked in by proxy): ask for the name."""
    actor = await approver(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "member_add", "name", {"branch_id": actor.branch_id}, svc.now())
    return actor


async def add_offline(svc: Services, telegram_id: int, text: str, data: dict) -> Member:
    """The name was typed: the member is on the roster at once, active, with no Telegram account."""
    actor = await approver(svc, telegram_id, data.get("branch_id"))
    name = clean_name(text)
    now = svc.now()
    async with svc.db.write() as db:
        if any(m.name == name for m in await members.in_branch(db, actor.branch_id)):
            raise UserError("membership/same_name.j2", name=name)
        member = await members.create(db, branch_id=actor.branch_id, telegram_id=None, name=name,
                                      status=MemberStatus.ACTIVE, now=now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="member.add_offline", branch_id=actor.branch_id, actor_id=actor.id,
                           subject=refs.member(member.id), name=name)
    return member


async def mark_reachable(svc: Services, telegram_id: int) -> Member | None:
    """A member we could not reach wrote to the bot again (or unblocked it): their reminders come back and
    features catch them up. None when there was nothing to do."""
    member = await members.by_telegram_id(svc.db, telegram_id)
    if member is None or not member.is_active or member.reachable:
        return None
    now = svc.now()
    async with svc.db.write() as db:
        if not await members.set_reachable(db, member.id, True, now):
            return None
        restored = await outbox.restore_for_member(db, member.id, now)
        await audit.record(db, now=now, action="member.reachable", branch_id=member.branch_id, actor_id=member.id,
                           subject=refs.member(member.id), restored=restored)
        member = await members.get(db, member.id)
        for hook in svc.features.join_hooks:  # catch them up on what is under way
            await hook(svc, db, member, now)
    svc.wake_outbox()
    return member


async def mark_unreachable(svc: Services, telegram_id: int) -> None:
    """The person blocked the bot: their reminders wait until they write again (see mark_reachable)."""
    member = await members.by_telegram_id(svc.db, telegram_id)
    if member is not None:
        async with svc.db.write() as db:
            await members.set_reachable(db, member.id, False, svc.now())


async def remember_menu(svc: Services, member: Member, menu: str) -> None:
    async with svc.db.write() as db:
        await members.set_menu(db, member.id, menu)


@dataclass
class JoinDecision:
    member: Member
    approved: bool
    already: bool  # decided earlier (by this or another approver): the card just shows the outcome


async def decide_join(svc: Services, telegram_id: int, member_id: int, approve: bool) -> JoinDecision:
    """An approver taps 通过/驳回 on a join card."""
    candidate = await members.get(svc.db, member_id)
    if candidate is None:
        raise UserError("common/stale.j2")
    actor = await approver(svc, telegram_id, candidate.branch_id)
    if candidate.status is not MemberStatus.PENDING:
        return JoinDecision(candidate, candidate.status is MemberStatus.ACTIVE, already=True)
    now = svc.now()
    status = MemberStatus.ACTIVE if approve else MemberStatus.REJECTED
    async with svc.db.write() as db:
        # Decided inside the transaction, only while it waits: two approvers pressing at once decide it once.
        if not await members.decide_pending(db, candidate.id, status, now):
            decided = await members.get(db, candidate.id)
            assert decided is not None
            return JoinDecision(decided, decided.status is MemberStatus.ACTIVE, already=True)
        await audit.record(db, now=now, action="member.approve" if approve else "member.reject",
                           branch_id=candidate.branch_id, actor_id=actor.id, subject=refs.member(candidate.id))
        candidate = await members.get(db, candidate.id)
        branch = await branches.get(db, candidate.branch_id)
        template = "join/approved.j2" if approve else "join/rejected.j2"
        await notify.to_member(svc, db, candidate, Outgoing(template=template, params={"name": candidate.name, "branch": branch.name}),
                               kind="join.outcome")
        if approve:
            for hook in svc.features.join_hooks:  # catch them up on what is under way
                await hook(svc, db, candidate, now)
    svc.wake_outbox()
    return JoinDecision(candidate, approve, already=False)


async def roster(svc: Services, telegram_id: int) -> tuple[Member, list[Member], list[Member]]:
    """(actor, active members, pending members) of the approver's branch."""
    actor = await approver(svc, telegram_id)
    active = await members.in_branch(svc.db, actor.branch_id)
    pending = await members.in_branch(svc.db, actor.branch_id, [MemberStatus.PENDING])
    return actor, active, pending


async def member_in_my_branch(svc: Services, telegram_id: int, member_id: int) -> tuple[Member, Member]:
    """(actor, member) when the actor may manage that member, else a refusal."""
    member = await members.get(svc.db, member_id)
    if member is None:
        raise UserError("common/stale.j2")
    actor = await approver(svc, telegram_id, member.branch_id)
    return actor, member


async def toggle_role(svc: Services, telegram_id: int, member_id: int, role: Role) -> Member:
    actor, member = await member_in_my_branch(svc, telegram_id, member_id)
    if role not in ASSIGNABLE_ROLES:
        raise UserError("common/stale.j2")
    if not member.is_active:
        raise UserError("membership/not_active.j2", name=member.name)
    now = svc.now()
    async with svc.db.write() as db:
        if role in member.roles:
            await members.remove_role(db, member.id, role)
            action = "role.remove"
        else:
            await members.add_role(db, member.id, role)
            action = "role.add"
        await audit.record(db, now=now, action=action, branch_id=member.branch_id, actor_id=actor.id,
                           subject=refs.member(member.id), role=role.value)
        updated = await members.get(db, member.id)
    return updated


async def remove_member(svc: Services, telegram_id: int, member_id: int) -> Member:
    """Status left, roles dropped, pending reminders cancelled; the history stays."""
    actor, member = await member_in_my_branch(svc, telegram_id, member_id)
    if member.id == actor.id or Role.SECRETARY in member.roles:
        raise UserError("membership/cannot_remove_secretary.j2")
    if not member.is_active:
        raise UserError("membership/not_active.j2", name=member.name)
    now = svc.now()
    async with svc.db.write() as db:
        await members.set_status(db, member.id, MemberStatus.LEFT, now)
        await members.clear_roles(db, member.id)
        await outbox.cancel_for_member(db, member.id, now)
        await audit.record(db, now=now, action="member.remove", branch_id=member.branch_id, actor_id=actor.id,
                           subject=refs.member(member.id), roles=sorted(member.roles))
        removed = await members.get(db, member.id)
        branch = await branches.get(db, member.branch_id)
        await notify.to_member(svc, db, removed, Outgoing(template="membership/removed_notice.j2",
                                                          params={"branch": branch.name}), kind="member.removed")
    svc.wake_outbox()
    return removed
