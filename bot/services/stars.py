"""星级管理, 一事一评星 (seed 000): the secretary (or deputy) awards a member a star for one named deed, resting on
evidence — a 民心墙 order the resident rated 满意, service hours a community confirmed (在职党员到社区报到), or
evidence written down beside the deed. Never automatic, never
points: no totals and no ranking are shown to anyone (the 2023 opinion against 指尖上的形式主义); a member sees their
own deeds (/stars), the evaluation register lists each member's, and nobody awards themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.domain.community import hours
from bot.domain.models import Member
from bot.errors import UserError
from bot.keys import community as community_keys
from bot.keys import wall as wall_keys
from bot.outgoing import Outgoing
from bot.render import word
from bot.services import Services, membership, notify
from storage import branches, community, conversations, members, stars
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
    services: list[community.Service] = field(default_factory=list)  # confirmed community service, not starred


async def evidence_for(svc: Services, telegram_id: int, member_id: int) -> Evidence:
    """The member chosen: what a star could rest on."""
    _, member = await _member(svc, telegram_id, member_id)
    return Evidence(member, await stars.satisfied_orders(svc.db, member.id),
                    await community.unstarred_services(svc.db, member.id))


async def begin(svc: Services, telegram_id: int, member_id: int, order_id: int | None = None) -> Evidence:
    """The evidence chosen (an order rated 满意, or none: written with the deed): the deed is asked for next."""
    _, member = await _member(svc, telegram_id, member_id)
    if order_id is not None and not await stars.satisfied(svc.db, member.id, order_id):
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "deed", {"member_id": member.id, "order_id": order_id},
                                 svc.now())
    return Evidence(member, [order_id] if order_id is not None else [])


async def begin_service(svc: Services, telegram_id: int, member_id: int, service_id: int) -> Evidence:
    """Confirmed community service chosen as the evidence: the deed is asked for next."""
    _, member = await _member(svc, telegram_id, member_id)
    chosen = [s for s in await community.unstarred_services(svc.db, member.id) if s.id == service_id]
    if not chosen:
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "deed", {"member_id": member.id, "service_id": service_id},
                                 svc.now())
    return Evidence(member, [], chosen)


def _evidence(data: dict, service: community.Service | None) -> tuple[str | None, str | None]:
    """(the evidence key, its words) of what the star rests on; (None, None): written with the deed."""
    if data.get("order_id") is not None:
        order_id = int(data["order_id"])
        return wall_keys.order_ref(order_id), word("stars/wall_evidence", order=order_id)
    if service is not None:
        return community_keys.service_ref(service.id), word(
            "stars/service_evidence", day=service.served_on, hours=hours(service.minutes), what=service.what)
    return None, None


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
    actor, member = await _member(svc, telegram_id, int(data["member_id"]))
    service = None
    if data.get("service_id") is not None:
        service = await community.service(svc.db, int(data["service_id"]))
        if service is None or service.member_id != member.id or not service.confirmed:
            raise UserError("common/stale.j2")
    key, evidence_words = _evidence(data, service)
    deed, written = _read(text, key is None)
    note = written or evidence_words or ""
    branch = await branches.get(svc.db, member.branch_id)
    now = svc.now()
    year = now.astimezone(ZoneInfo((branch.tz if branch else None) or svc.settings.tz)).year
    async with svc.db.write() as db:
        if not await stars.add(db, branch_id=member.branch_id, member_id=member.id, year=year, deed=deed,
                               evidence=key,
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
