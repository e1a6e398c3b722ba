"""一事一评星 on a real database: a star rests on a 民心墙 order the resident rated 满意 (or on evidence written
beside the deed), once per order; nobody awards themselves, a plain member awards nobody; the year's evaluation
register lists each member's deeds."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest

from bot.documents.evaluation import Register, register_xlsx
from bot.domain.review import Decision
from bot.domain.wall import Rating
from bot.errors import UserError
from bot.services import drafts, evaluation, review, stars, wall, wall_orders
from bot.services.evaluation_results import compile_results
from tests.support import FIRST_MEMBER_ID, SECRETARY_ID

RESIDENT = 5001


async def _satisfied_order(services, worker) -> int:
    """A resident's order dispatched to `worker`, reported, accepted by the secretary and rated 满意."""
    _, link, _ = await wall.wall_of(services, SECRETARY_ID)
    shown = await wall_orders.open_wall(services, RESIDENT, link.rsplit("start=wall_", 1)[1])
    await wall_orders.add(services, RESIDENT, {"order_id": shown.order.id}, "水管漏水", None, None, other=False)
    order = await wall_orders.submit(services, RESIDENT, shown.order.id)
    await wall.assign(services, SECRETARY_ID, order.id, 1, worker.id)
    await wall.take(services, worker.telegram_id, order.id, 1)
    draft = await wall.start_report(services, worker.telegram_id, order.id, 1)
    await drafts.add(services, worker.telegram_id, {"submission_id": draft.submission.id}, "换了阀门", None)
    handed = await drafts.submit(services, worker.telegram_id, draft.submission.id)
    await review.decide(services, SECRETARY_ID, handed.submission.id, handed.submission.version, Decision.APPROVE)
    await wall_orders.rate(services, RESIDENT, order.id, 1, Rating.GOOD)
    return order.id


async def test_a_star_rests_on_an_order_rated_satisfied_once_and_appears_in_the_register(services, cast):
    """The order is offered as evidence, the star is kept with it, the order is offered no more and a second star
    on it is refused; the evaluation register's last column lists the deed with its evidence."""
    worker = cast.people[0]
    order_id = await _satisfied_order(services, worker)
    assert (await stars.evidence_for(services, SECRETARY_ID, worker.id)).orders == [order_id]
    await stars.begin(services, SECRETARY_ID, worker.id, order_id)
    done = await stars.award(services, SECRETARY_ID, {"member_id": worker.id, "order_id": order_id}, "帮独居老人修好水管")
    assert done.note == f"民心墙第 {order_id} 号点单，居民评价满意"
    assert (await stars.evidence_for(services, SECRETARY_ID, worker.id)).orders == []
    with pytest.raises(UserError, match="stars/already.j2"):
        await stars.award(services, SECRETARY_ID, {"member_id": worker.id, "order_id": order_id}, "再评一次")

    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    found = await compile_results(services, campaign)
    row = next(r for r in found.rows if r.member.id == worker.id)
    assert row.stars == (f"帮独居老人修好水管（依据：民心墙第 {order_id} 号点单，居民评价满意）",)
    sheet = openpyxl.load_workbook(BytesIO(register_xlsx(Register(found.branch.name, campaign.year, found.rows)))).active
    assert any("帮独居老人修好水管" in str(c.value) for r in sheet.iter_rows() for c in r)


async def test_written_evidence_is_required_and_nobody_awards_themselves(services, cast):
    """Other deeds need a second line of evidence; the secretary cannot star themselves; a plain member cannot
    award; a member sees only their own deeds."""
    worker, other = cast.people[0], cast.people[1]
    await stars.begin(services, SECRETARY_ID, worker.id)
    with pytest.raises(UserError, match="stars/what.j2"):
        await stars.award(services, SECRETARY_ID, {"member_id": worker.id, "order_id": None}, "义务清扫小区")
    await stars.award(services, SECRETARY_ID, {"member_id": worker.id, "order_id": None},
                      "义务清扫小区\n社区居委会出具的服务证明")
    with pytest.raises(UserError, match="stars/not_own.j2"):
        await stars.begin(services, SECRETARY_ID, cast.secretary.id)
    with pytest.raises(UserError, match="common/not_allowed.j2"):
        await stars.begin(services, FIRST_MEMBER_ID + 1, worker.id)
    assert [(s.deed, s.evidence_note) for s in await stars.mine(services, worker.telegram_id)] == [
        ("义务清扫小区", "社区居委会出具的服务证明")]
    assert await stars.mine(services, other.telegram_id) == []
