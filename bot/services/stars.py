"""星级管理, 一事一评星 (seed 000): the secretary (or deputy) awards a member a star for one named deed, resting on
evidence — a 民心墙 order the resident rated 满意, or evidence written down beside the deed. Never automatic, never
points: no totals and no ranking are shown to anyone (the 2023 opinion against 指尖上的形式主义); a member sees their
own deeds (/stars), the evaluation register lists each member's, and nobody awards themselves."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.models import Member
from bot.errors import UserError
from bot.keys import wall as wall_keys
from bot.outgoing import Outgoing
from bot.render import word
from bot.services import Services, membership, notify
from storage import branches, conversations, members, stars
from storage.stars import Star

FORM = "star_deed"
DEED_MAX = 200


async def awardees(svc: Services, telegram_id: int) -> list[Member]:
    """/star: the branch's members a star may go to (not the awarder)."""
    actor = await membership.approver(svc, telegram_id)
    return [m for m in await members.in_branch(svc.db, actor.branch_id) if m.id != actor.id]


async def _member(svc: Services, telegram_id: int, member_id: int) -> tuple[Member, Member]:
    actor, member = await membership.member_in_my_branch(svc, telegram_id, member_id)
    if member.id == actor.id:
        raise UserError("stars/not_own.j2")
    if not member.is_active:
        raise UserError("common/stale.j2")
    return actor, member


@dataclass
class Evidence:
    member: Member
    orders: list[int]  # 民心墙 orders rated 满意 that earned no star yet


async def evidence_for(svc: Services, telegram_id: int, member_id: int) -> Evidence:
    """The member chosen: what a star could rest on."""
    _, member = await _member(svc, telegram_id, member_id)
    return Evidence(member, await stars.satisfied_orders(svc.db, member.id))


async def begin(svc: Services, telegram_id: int, member_id: int, order_id: int | None = None) -> Evidence:
    """The evidence chosen (an order rated 满意, or none: written with the deed): the deed is asked for next."""
    _, member = await _member(svc, telegram_id, member_id)
    if order_id is not None and not await stars.satisfied(svc.db, member.id, order_id):
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "deed", {"member_id": member.id, "order_id": order_id},
                                 svc.now())
    return Evidence(member, [order_id] if order_id is not None else [])


def _read(text: str | None, written: bool) -> tuple[str, str | None]:
    """(the deed, the evidence written under it): two lines when the evidence is written, one otherwise."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines or (written and len(lines) < 2):
        raise UserError("stars/what.j2", written=written)
    deed, evidence = lines[0], (" ".join(lines[1:]) if written else None)
    if len(deed) > DEED_MAX or (evidence and len(evidence) > DEED_MAX):
        raise UserError("stars/too_long.j2", max=DEED_MAX)
    return deed, evidence


@dataclass
class Awarded:
    member: Member
    deed: str
    note: str


async def award(svc: Services, telegram_id: int, data: dict, text: str | None) -> Awarded:
    """The deed typed: the star is kept and the member told, privately."""
    order_id = data.get("order_id")
    actor, member = await _member(svc, telegram_id, int(data["member_id"]))
    deed, written = _read(text, order_id is None)
    note = written or word("stars/wall_evidence", order=order_id)
    branch = await branches.get(svc.db, member.branch_id)
    now = svc.now()
    year = now.astimezone(ZoneInfo((branch.tz if branch else None) or svc.settings.tz)).year
    async with svc.db.write() as db:
        if not await stars.add(db, branch_id=member.branch_id, member_id=member.id, year=year, deed=deed,
                               evidence=wall_keys.order_ref(order_id) if order_id is not None else None,
                               evidence_note=note, awarded_by=actor.id, now=now):
            raise UserError("stars/already.j2")
        await conversations.clear(db, telegram_id)
        await notify.to_member(svc, db, member, Outgoing(template="stars/awarded_member.j2",
                                                         params={"deed": deed, "note": note}), kind="stars.awarded")
    svc.wake_outbox()
    return Awarded(member, deed, note)


async def mine(svc: Services, telegram_id: int) -> list[Star]:
    """/stars: the member's own deeds and their evidence — nobody else's, and no total."""
    member = await membership.active_member(svc, telegram_id)
    return await stars.of_member(svc.db, member.id)


def register_line(star: Star) -> str:
    return word("stars/register_line", deed=star.deed, note=star.evidence_note)
