"""在职党员到社区报到 (seed 002): a member of an organ's branch opens a community branch's 报到 link and registers
there — a second, service-only affiliation: they stay a member of their own branch only — which the community's
secretary (or deputy) confirms with a tap; they claim some of the community's service posts (the 民心墙's dispatch
then offers them for orders, with their posts), and log their service (bot/services/community_hours.py).

The 报到 link carries the community's wall code (the code of the wall's deep link, made on first use): the
community hands out one code, and whoever opens the link must still be an active member of another branch and be
confirmed by the community."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.callbacks import community as cb
from bot.domain import community as rules
from bot.domain.models import Member
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.outgoing import Outgoing, button
from bot.services import Services, membership, notify, wall_board
from storage import branches, conversations, members
from storage import community as store
from storage import wall as walls
from storage.community import Registration
from storage.connection import Conn

POSTS_FORM = "community_posts"
LINK_PREFIX = "serve_"


def link(svc: Services, code: str) -> str:
    return f"https://t.me/{svc.bot_username}?start={LINK_PREFIX}{code}"


async def community_code(svc: Services, branch_id: int) -> str:
    """The community's code (its wall's), made on first use."""
    async with svc.db.write() as db:
        if await walls.wall_code(db, branch_id) is None:
            await walls.create_wall(db, branch_id, wall_board.new_code(), svc.now())
        code = await walls.wall_code(db, branch_id)
    assert code is not None
    return code


@dataclass
class Registered:
    registration: Registration
    community: str
    member: Member
    posts: list[tuple[int, str, bool]] = field(default_factory=list)  # (post id, name, claimed)
    fresh: bool = True  # False: a second press on a registration someone had already confirmed


async def register(svc: Services, telegram_id: int, code: str) -> Registered:
    """The 报到 link opened: an active member of another branch registers (once) and the community's approvers get
    it to confirm. A second registration, one's own branch or an unknown link: refused, nothing stored."""
    community_id = await walls.branch_of_code(svc.db, code)
    if community_id is None:
        raise UserError("community/unknown_link.j2")
    member = await membership.member_of(svc, telegram_id)
    if member is None or not member.is_active:
        raise UserError("community/members_only.j2")
    if member.branch_id == community_id:
        raise UserError("community/own_branch.j2")
    community = await branches.get(svc.db, community_id)
    assert community is not None
    async with svc.db.write() as db:
        registration = await store.register(db, member.id, community_id, svc.now())
        if registration is None:
            raise UserError("community/already.j2", community=community.name)
        own = await branches.get(db, member.branch_id)
        card = Outgoing(template="community/registration_card.j2",
                        params={"name": member.name, "branch": own.name if own else "", "community": community.name},
                        buttons=[[button("community/confirm", cb.confirm(registration.id))]])
        for approver in await _approvers(db, community_id):
            await notify.to_member(svc, db, approver, card.model_copy(deep=True), kind="community.registration")
    svc.wake_outbox()
    return Registered(registration, community.name, member)


async def _approvers(db: Conn, community_id: int) -> list[Member]:
    return [m for m in await members.with_role(db, community_id, APPROVER_ROLES) if m.is_active]


async def confirm(svc: Services, telegram_id: int, registration_id: int) -> Registered:
    """确认报到: the community's secretary (or deputy) confirms; the member is told and offered the posts."""
    registration = await store.registration(svc.db, registration_id)
    if registration is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, registration.community_id)
    member = await members.get(svc.db, registration.member_id)
    assert member is not None
    if actor.id == member.id or actor.telegram_id == member.telegram_id:
        raise UserError("community/not_own.j2")
    community = await branches.get(svc.db, registration.community_id)
    assert community is not None
    async with svc.db.write() as db:
        fresh = await store.confirm_registration(db, registration.id, actor.id, svc.now())
        if fresh:
            await notify.to_member(svc, db, member, Outgoing(
                template="community/confirmed_member.j2", params={"community": community.name},
                buttons=[[button("community/posts", cb.posts(registration.id))],
                         [button("community/log", cb.log(registration.id))]]), kind="community.confirmed")
    svc.wake_outbox()
    return Registered(registration, community.name, member, fresh=fresh)


async def _own_registration(svc: Services, telegram_id: int, registration_id: int) -> tuple[Member, Registration]:
    """The presser as the member of this confirmed registration (nobody else claims posts or logs service on it)."""
    me = await membership.active_member(svc, telegram_id)
    registration = await store.registration(svc.db, registration_id)
    if registration is None or registration.member_id != me.id:
        raise UserError("common/stale.j2")
    if not registration.confirmed:
        raise UserError("community/not_confirmed.j2")
    return me, registration


async def posts_of(svc: Services, telegram_id: int, registration_id: int) -> Registered:
    """认岗: the community's posts, each marked when claimed."""
    me, registration = await _own_registration(svc, telegram_id, registration_id)
    community = await branches.get(svc.db, registration.community_id)
    assert community is not None
    mine = await store.claimed(svc.db, registration.id)
    found = [(post_id, name, post_id in mine) for post_id, name in await store.posts(svc.db, community.id)]
    return Registered(registration, community.name, me, found)


async def toggle(svc: Services, telegram_id: int, registration_id: int, post_id: int) -> Registered:
    """A post pressed: claimed, or given up when it was."""
    _, registration = await _own_registration(svc, telegram_id, registration_id)
    if post_id not in {p for p, _ in await store.posts(svc.db, registration.community_id)}:
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await store.toggle_claim(db, registration.id, post_id)
    return await posts_of(svc, telegram_id, registration_id)


@dataclass
class Overview:
    """/serve: the member's own registrations (with the community, the posts claimed) and, for a community's
    secretary or deputy, its 报到 link, posts and what waits for them."""

    mine: list[Registered]
    community: str | None = None
    link: str | None = None
    posts: list[str] = field(default_factory=list)
    waiting_registrations: list[Registered] = field(default_factory=list)
    waiting_services: int = 0


async def overview(svc: Services, telegram_id: int) -> Overview:
    me = await membership.active_member(svc, telegram_id)
    found = Overview(mine=[await posts_of(svc, telegram_id, r.id) if r.confirmed
                           else Registered(r, await _name(svc, r.community_id), me)
                           for r in await store.of_member(svc.db, me.id)])
    if me.is_approver:
        found.community = await _name(svc, me.branch_id)
        found.link = link(svc, await community_code(svc, me.branch_id))
        found.posts = [name for _, name in await store.posts(svc.db, me.branch_id)]
        for registration in await store.of_community(svc.db, me.branch_id):
            person = await members.get(svc.db, registration.member_id)
            if not registration.confirmed and person is not None:
                found.waiting_registrations.append(Registered(registration, found.community, person))
        found.waiting_services = len(await store.waiting(svc.db, me.branch_id))
    return found


async def _name(svc: Services, branch_id: int) -> str:
    branch = await branches.get(svc.db, branch_id)
    return branch.name if branch else ""


async def begin_posts(svc: Services, telegram_id: int) -> list[str]:
    """设岗: the community's secretary types its posts next; the ones set now are shown."""
    actor = await membership.approver(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, POSTS_FORM, "posts", {"branch_id": actor.branch_id}, svc.now())
    return [name for _, name in await store.posts(svc.db, actor.branch_id)]


async def save_posts(svc: Services, telegram_id: int, data: dict, text: str | None) -> list[str]:
    """The posts typed: they replace the community's (claims of posts kept stay)."""
    actor = await membership.approver(svc, telegram_id, int(data["branch_id"]))
    names = rules.read_posts(text or "")
    if not names:
        raise UserError("community/posts_what.j2", max=rules.POSTS_MAX, length=rules.POST_MAX)
    async with svc.db.write() as db:
        await store.set_posts(db, actor.branch_id, names)
        await conversations.clear(db, telegram_id)
    return names


async def servers(svc: Services, community_id: int) -> list[tuple[Member, list[str]]]:
    """The members of other branches confirmed at the community, with the posts they claimed (for 派单)."""
    claimed = await store.claimed_posts(svc.db, community_id)
    found = []
    for registration in await store.of_community(svc.db, community_id):
        person = await members.get(svc.db, registration.member_id)
        if registration.confirmed and person is not None and person.is_active and person.telegram_id is not None:
            found.append((person, claimed.get(person.id, [])))
    return found


async def serves_at(svc: Services, member_id: int, community_id: int) -> bool:
    """The member is confirmed at the community (an order of its wall may go to them)."""
    registration = await store.registration_of(svc.db, member_id, community_id)
    return registration is not None and registration.confirmed
