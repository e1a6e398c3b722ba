"""A registered member's volunteer service at a community (在职党员到社区报到): logged on one line (the day, the
hours, what was done), confirmed with a tap by the community's secretary, deputy or 党小组长 — never by the member
— and counted where the member belongs: their own branch sees a year's confirmed service at the evaluation (the
member's own /evaluation and the register), the unit sees totals per branch (`/export service`). No ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.callbacks import community as cb
from bot.domain import community as rules
from bot.domain.community import BadService, YearTotal
from bot.domain.models import Branch, Member
from bot.errors import UserError
from bot.outgoing import Outgoing, button
from bot.render import word
from bot.services import Services, community_service, membership, notify, wall_board
from storage import branches, conversations, members
from storage import community as store
from storage.community import Service
from storage.connection import Conn

FORM = "community_service"


async def _today(svc: Services, branch_id: int) -> date:
    branch = await branches.get(svc.db, branch_id)
    return svc.now().astimezone(ZoneInfo((branch.tz if branch else None) or svc.settings.tz)).date()


async def begin(svc: Services, telegram_id: int, registration_id: int) -> community_service.Registered:
    """记录服务: the member is asked for the service, on one line."""
    shown = await community_service.posts_of(svc, telegram_id, registration_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "service", {"registration_id": registration_id}, svc.now())
    return shown


@dataclass
class Logged:
    service: Service
    community: str
    member: Member
    fresh: bool = True  # False: a second press on a service someone had already confirmed


async def log(svc: Services, telegram_id: int, data: dict, text: str | None) -> Logged:
    """The line typed: read, checked against the day's 24 hours, kept, and sent to the community to confirm.
    Anything unreadable (no day, a day to come, hours that are no number, 0 or over 24 a day) changes nothing."""
    shown = await community_service.posts_of(svc, telegram_id, int(data["registration_id"]))
    me, registration = shown.member, shown.registration
    try:
        served = rules.read_service(text or "", await _today(svc, me.branch_id))
    except BadService as why:
        raise UserError("community/service_bad.j2", why=str(why), max=rules.WHAT_MAX) from None
    if not rules.fits_the_day(await store.minutes_on(svc.db, me.id, served.day), served.minutes):
        raise UserError("community/service_bad.j2", why="day_full", max=rules.WHAT_MAX)
    async with svc.db.write() as db:
        service_id = await store.log(db, registration, served.day, served.minutes, served.what, svc.now())
        await conversations.clear(db, telegram_id)
        service = await store.service(db, service_id)
        assert service is not None
        await _to_confirmers(svc, db, service, me)
    svc.wake_outbox()
    return Logged(service, shown.community, me)


async def _to_confirmers(svc: Services, db: Conn, service: Service, member: Member) -> None:
    own = await branches.get(db, member.branch_id)
    card = Outgoing(template="community/service_card.j2",
                    params={"name": member.name, "branch": own.name if own else "", "day": service.served_on,
                            "hours": rules.hours(service.minutes), "what": service.what},
                    buttons=[[button("community/confirm_service", cb.service(service.id))]])
    for confirmer in await wall_board.dispatchers(db, service.community_id):
        if confirmer.id != member.id:
            await notify.to_member(svc, db, confirmer, card.model_copy(deep=True), kind="community.service")


async def confirm(svc: Services, telegram_id: int, service_id: int) -> Logged:
    """确认服务: the community's secretary, deputy or 党小组长 — not the member who served — confirms it; the member
    is told."""
    service = await store.service(svc.db, service_id)
    if service is None:
        raise UserError("common/stale.j2")
    actor = await wall_board.dispatcher(svc, telegram_id, service.community_id, refusal="community/not_confirmer.j2")
    member = await members.get(svc.db, service.member_id)
    assert member is not None
    if actor.id == member.id or actor.telegram_id == member.telegram_id:
        raise UserError("community/not_own.j2")
    community = await branches.get(svc.db, service.community_id)
    assert community is not None
    async with svc.db.write() as db:
        fresh = await store.confirm_service(db, service.id, actor.id, svc.now())
        if fresh:
            await notify.to_member(svc, db, member, Outgoing(
                template="community/service_confirmed_member.j2",
                params={"community": community.name, "day": service.served_on,
                        "hours": rules.hours(service.minutes), "what": service.what}), kind="community.service_ok")
    svc.wake_outbox()
    return Logged(service, community.name, member, fresh)


async def waiting(svc: Services, telegram_id: int) -> list[tuple[Service, str]]:
    """The service logged at the presser's community that waits for its confirmation, with who served."""
    actor = await wall_board.dispatcher(svc, telegram_id, refusal="community/not_confirmer.j2")
    return [(s, m.name if (m := await members.get(svc.db, s.member_id)) else "")
            for s in await store.waiting(svc.db, actor.branch_id)]


async def year_total(db: Conn, member_id: int, year: int) -> YearTotal:
    """The member's confirmed service in the year, at every community."""
    return (await year_totals(db, [member_id], year))[member_id]


async def year_totals(db: Conn, member_ids: list[int], year: int) -> dict[int, YearTotal]:
    """Each member's confirmed service in the year (a branch's register at once)."""
    found = await store.year_totals(db, member_ids, date(year, 1, 1), date(year, 12, 31))
    return {m: YearTotal(*found[m][:2], tuple(found[m][2])) if m in found else YearTotal(0, 0, ())
            for m in member_ids}


def register_line(total: YearTotal) -> str:
    """A year's service as the evaluation register writes it (empty when there was none)."""
    if not total.times:
        return ""
    return word("community/register_line", communities=total.communities, times=total.times, hours=total.hours)


async def mine(svc: Services, telegram_id: int, year: int | None = None) -> tuple[YearTotal, list[Service]]:
    """The member's own service this year: the confirmed total and every line logged (confirmed or not)."""
    me = await membership.active_member(svc, telegram_id)
    year = year or (await _today(svc, me.branch_id)).year
    logged = await store.services_of(svc.db, me.id, date(year, 1, 1), date(year, 12, 31), confirmed=False)
    return await year_total(svc.db, me.id, year), logged


async def branch_line(svc: Services, branch: Branch, year: int) -> list:
    """One branch's line of the unit's 社区报到 totals: members who served, times, hours (confirmed only)."""
    total = (await store.branch_totals(svc.db, [branch.id], date(year, 1, 1), date(year, 12, 31))).get(branch.id)
    if total is None:
        return [0, 0, 0]
    return [total.members, total.times, float(rules.hours(total.minutes))]
