"""The 民心墙's use cases on a real database: what a resident may send, who may dispatch, take and rate, and the
erasure of residents' details a set time after an order closes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.demo import seed as demo
from bot.domain.wall import OrderStatus, Rating
from bot.errors import UserError
from bot.services import wall, wall_orders
from storage import wall as store
from tests.support import FIRST_MEMBER_ID, SECRETARY_ID

RESIDENT = 5001
OTHER_RESIDENT = 5002


async def _code(services) -> str:
    _, link, _ = await wall.wall_of(services, SECRETARY_ID)
    return link.rsplit("start=wall_", 1)[1]


async def _submitted(services, code: str, chat: int = RESIDENT) -> int:
    shown = await wall_orders.open_wall(services, chat, code)
    data = {"order_id": shown.order.id}
    await wall_orders.add(services, chat, data, "楼道灯坏了", None, None, other=False)
    await wall_orders.add(services, chat, data, "139 1234 5678", None, None, other=False)
    await wall_orders.add(services, chat, data, None, "photo-file-1", (34.6, 107.1), other=False)
    return (await wall_orders.submit(services, chat, shown.order.id)).id


async def test_links_files_and_empty_orders_are_refused_and_change_nothing(services, cast):
    """A link, a file, an empty message and an empty 提交 are refused; a bare number is kept as the phone, not
    the need; an unknown wall link is refused."""
    code = await _code(services)
    shown = await wall_orders.open_wall(services, RESIDENT, code)
    data = {"order_id": shown.order.id}
    for text, other in (("看这里 www.example.com", False), (None, True), ("  ", False)):
        with pytest.raises(UserError):
            await wall_orders.add(services, RESIDENT, data, text, None, None, other=other)
    with pytest.raises(UserError, match="wall/empty.j2"):
        await wall_orders.submit(services, RESIDENT, shown.order.id)
    kept = await wall_orders.add(services, RESIDENT, data, "13912345678", None, None, other=False)
    assert (kept.order.need, kept.order.phone) == ("", "13912345678")
    with pytest.raises(UserError, match="wall/unknown_link.j2"):
        await wall_orders.open_wall(services, RESIDENT, "no-such-code")


async def test_only_dispatchers_dispatch_only_the_assigned_member_takes_only_the_resident_rates(services, cast):
    """A plain member cannot dispatch; another member cannot take or report; another chat cannot rate or touch
    the order; a stale round is refused."""
    order_id = await _submitted(services, await _code(services))
    worker, other = cast.people[0], cast.people[1]
    with pytest.raises(UserError, match="wall/not_dispatcher.j2"):
        await wall.assign(services, FIRST_MEMBER_ID + 1, order_id, 1, worker.id)
    with pytest.raises(UserError, match="wall/moved_on.j2"):
        await wall.assign(services, SECRETARY_ID, order_id, 2, worker.id)
    await wall.assign(services, SECRETARY_ID, order_id, 1, worker.id)
    with pytest.raises(UserError, match="wall/not_yours.j2"):
        await wall.take(services, other.telegram_id, order_id, 1)
    await wall.take(services, worker.telegram_id, order_id, 1)
    with pytest.raises(UserError, match="wall/not_yours.j2"):
        await wall.start_report(services, other.telegram_id, order_id, 1)
    with pytest.raises(UserError, match="common/stale.j2"):
        await wall_orders.rate(services, OTHER_RESIDENT, order_id, 1, Rating.GOOD)
    assert (await store.get(services.db, order_id)).status is OrderStatus.TAKEN


async def test_residents_details_are_erased_after_the_setting_and_not_before(services, cast, clock):
    """An order closed 182 days before the daily run loses the resident's chat, words, phone, place, photos and
    reasons (its status, member and ratings stay); one closed 11 days before keeps them."""
    code = await _code(services)
    old, recent = await _submitted(services, code), await _submitted(services, code, OTHER_RESIDENT)
    async with services.db.write() as db:
        await store.set_status(db, old, OrderStatus.CLOSED, clock.now() - timedelta(days=181), closed=True,
                               member_id=cast.people[0].id)
        await store.set_status(db, recent, OrderStatus.CLOSED, clock.now() - timedelta(days=10), closed=True)
    async with services.db.write() as db:  # a 不满意 with the resident's reason, in an earlier round
        await store.record_rating(db, await store.get(db, old), Rating.POOR, clock.now())
        await store.save_reason(db, old, 1, "只换了一层的灯")
    await wall.erase(services, clock.advance(days=1))  # the next day's run (the fixture's drain ran today's)
    erased, kept = await store.get(services.db, old), await store.get(services.db, recent)
    assert (erased.resident_chat, erased.need, erased.phone, erased.latitude) == (None, "", None, None)
    assert erased.erased_at is not None and erased.member_id == cast.people[0].id
    assert await store.photos(services.db, old) == []
    assert [(r[2], r[3]) for r in await store.ratings(services.db, old)] == [(Rating.POOR, None)]
    assert (kept.resident_chat, kept.need, kept.phone) == (OTHER_RESIDENT, "楼道灯坏了", "139 1234 5678")
    assert await store.photos(services.db, recent) == ["photo-file-1"]


async def test_the_demo_has_a_residents_order_waiting_at_its_wall(services):
    """The demo's 张大妈 has an order with her phone at the first branch's wall, waiting for 派单."""
    cast = await demo.seed_demo(services)
    orders = await store.of_branch(services.db, cast.branch.id)
    assert [(o.resident_chat, o.status, o.phone) for o in orders] == [(demo.RESIDENT[0], OrderStatus.OPEN, "13709171234")]
