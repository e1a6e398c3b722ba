"""The demo's believable branch: a secretary, six members (one probationary, one without a smartphone),
and what is going on in it (bot/demo/scenes.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.demo.oversight import seed_history, seed_team
from bot.demo.scenes import SCENES
from bot.domain.models import Branch, Member, MemberStatus
from bot.domain.roles import Role
from bot.keys import refs
from bot.services import Services, membership, units
from storage import audit, members
from storage import units as unit_store

SECRETARY = (1001, "王建国")
# (Telegram id or None for a member without a smartphone, name, roles)
MEMBERS: tuple[tuple[int | None, str, tuple[Role, ...]], ...] = (
    (2001, "李红梅", (Role.ORGANIZER,)),
    (2002, "赵建国", ()),
    (2003, "孙丽", (Role.PROBATIONARY,)),
    (2004, "周敏", (Role.PROPAGANDA,)),
    (2005, "吴刚", ()),
    (None, "陈福生", ()),  # no smartphone: the secretary checks him in by proxy
)
VISITOR = (3001, "新访客")  # not a member yet: opens the invite link in the demo
RESIDENT = (3101, "张大妈")  # a resident, no member: has ordered at the branch's 民心墙 (bot/demo/scenes.py)
# The county level: both demo branches belong to 城关镇党委, whose officer holds a phone too (/units, a roster file).
COMMITTEE = "城关镇党委"
OFFICER = (4001, "刘志强")
SECOND_BRANCH = ("城关镇第二党支部", (1002, "马文华"), ("黄秀英", "林涛", "何平"))  # its members: on the roster only


@dataclass
class Cast:
    branch: Branch
    secretary: Member
    members: list[Member] = field(default_factory=list)

    def phones(self) -> list[dict]:
        """Who can hold a phone on the page (everyone with Telegram)."""
        people = [self.secretary, *self.members]
        return [{"id": m.telegram_id, "name": m.name, "title": m.title} for m in people if m.telegram_id]


async def seed_demo(svc: Services, branch_name: str = "城关镇第一党支部") -> Cast:
    branch, secretary, _ = await membership.create_branch(svc, branch_name, SECRETARY[0], SECRETARY[1])
    cast = Cast(branch, secretary)
    now = svc.now()
    async with svc.db.write() as db:
        for telegram_id, name, roles in MEMBERS:
            member = await members.create(db, branch_id=branch.id, telegram_id=telegram_id, name=name,
                                          status=MemberStatus.ACTIVE, now=now, roles=roles)
            await audit.record(db, now=now, action="member.seed", branch_id=branch.id, actor_id=None,
                               subject=refs.member(member.id), name=name)
            cast.members.append(member)
    await _county(svc, branch)
    await seed_history(svc, branch, SECOND_BRANCH[0])
    for scene in SCENES:
        await scene(svc, cast)
    return cast


async def _county(svc: Services, first: Branch) -> None:
    """城关镇党委 over both branches, its officer, and a second branch whose members are on the roster but not
    linked yet (the officer's /units shows its secretary's personal link)."""
    unit = await units.create_unit(svc, COMMITTEE, None, "党委")
    await units.add_officer(svc, unit.id, OFFICER[0], OFFICER[1])
    await seed_team(svc, unit.id, OFFICER)
    name, (secretary_id, secretary_name), roster = SECOND_BRANCH
    second, _, _ = await membership.create_branch(svc, name, secretary_id, secretary_name)
    async with svc.db.write() as db:
        await unit_store.place_branch(db, first.id, unit.id)
        await unit_store.place_branch(db, second.id, unit.id)
        for person in roster:
            await members.create(db, branch_id=second.id, telegram_id=None, name=person,
                                 status=MemberStatus.ACTIVE, now=svc.now())
