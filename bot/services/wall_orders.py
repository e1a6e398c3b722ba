"""The resident's side of the 民心墙 (居民点单, 群众评单): open a branch's wall by its link, write the need in as many
messages as they like (text, photos, a 📍 location, a phone number), 提交 for a receipt, follow it, and rate the
member's work — 不满意 asks why and hands the order back to the dispatchers. A resident is nobody's member and
registers nowhere; their chat is the only thing that makes an order theirs."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import wall as rules
from bot.domain.models import Member
from bot.domain.wall import OrderStatus, Rating, WallOrder
from bot.errors import UserError
from bot.outgoing import Outgoing
from bot.services import Services, notify, wall_board
from storage import branches, conversations, members
from storage import wall as store
from storage.connection import Conn

FORM = "wall_order"
REASON_FORM = "wall_reason"


@dataclass
class Composing:
    order: WallOrder
    branch: str
    photos: int

    def params(self) -> dict:
        return {"branch": self.branch, "number": self.order.id, "need": self.order.need, "photos": self.photos,
                "phone": self.order.phone, "located": self.order.has_location}


async def _composing(svc: Services, order: WallOrder) -> Composing:
    branch = await branches.get(svc.db, order.branch_id)
    assert branch is not None
    return Composing(order, branch.name, len(await store.photos(svc.db, order.id)))


async def open_wall(svc: Services, chat_id: int, code: str) -> Composing:
    """The wall's link opened: the resident's order at this wall still being written, else a new one."""
    branch_id = await store.branch_of_code(svc.db, code)
    if branch_id is None:
        raise UserError("wall/unknown_link.j2")
    if await store.live_count(svc.db, chat_id) >= rules.OPEN_MAX:
        raise UserError("wall/too_many.j2", max=rules.OPEN_MAX)
    now = svc.now()
    async with svc.db.write() as db:
        order = await store.draft_of(db, branch_id, chat_id) or await store.create(db, branch_id, chat_id, now)
        await conversations.save(db, chat_id, FORM, "need", {"order_id": order.id}, now)
    return await _composing(svc, order)


async def _own(svc: Services, chat_id: int, order_id: int, status: OrderStatus) -> WallOrder:
    """The resident's own order in `status` (re-checked on every message and press, whatever the button said)."""
    order = await store.get(svc.db, order_id)
    if order is None or order.resident_chat != chat_id or order.status is not status:
        raise UserError("common/stale.j2")
    return order


def _read_text(order: WallOrder, text: str) -> tuple[str, str | None]:
    """(the need, the phone) after a text message: a bare number is the phone, anything else adds to the need."""
    if rules.has_link(text):
        raise UserError("wall/no_links.j2")
    phone = rules.phone_of(text)
    if phone is not None:
        return order.need, phone
    need = "\n".join(p for p in (order.need, text.strip()) if p)
    if len(need) > rules.NEED_MAX:
        raise UserError("wall/too_long.j2", max=rules.NEED_MAX, length=len(need))
    return need, order.phone


async def add(svc: Services, chat_id: int, data: dict, text: str | None, photo: str | None,
              location: tuple[float, float] | None, other: bool) -> Composing:
    """A message while writing: kept before the answer. Files that are not photos, links and empty messages are
    refused and change nothing."""
    order = await _own(svc, chat_id, int(data["order_id"]), OrderStatus.DRAFT)
    if other or (not (text or "").strip() and photo is None and location is None):
        raise UserError("wall/what.j2")
    need, phone = _read_text(order, text) if text and text.strip() else (order.need, order.phone)
    if photo is not None and len(await store.photos(svc.db, order.id)) >= rules.PHOTOS_MAX:
        raise UserError("wall/too_many_photos.j2", max=rules.PHOTOS_MAX)
    latitude, longitude = location or (order.latitude, order.longitude)
    async with svc.db.write() as db:
        await store.save_input(db, order.id, need=need, phone=phone, latitude=latitude, longitude=longitude)
        if photo is not None:
            await store.add_photo(db, order.id, photo)
    return await _composing(svc, await store.get(svc.db, order.id) or order)


async def submit(svc: Services, chat_id: int, order_id: int) -> WallOrder:
    """提交: the order is handed in (a receipt for the resident), the dispatchers get its card and its three days
    start; the group's board shows that an order came in."""
    order = await _own(svc, chat_id, order_id, OrderStatus.DRAFT)
    if not order.need.strip():
        raise UserError("wall/empty.j2")
    if await store.live_count(svc.db, chat_id) >= rules.OPEN_MAX:
        raise UserError("wall/too_many.j2", max=rules.OPEN_MAX)
    now = svc.now()
    async with svc.db.write() as db:
        await store.set_status(db, order.id, OrderStatus.OPEN, now, submitted=True)
        await conversations.clear(db, chat_id)
        opened = await store.get(db, order.id)
        assert opened is not None
        await wall_board.to_dispatchers(svc, db, opened)
        await wall_board.plan_dispatch(svc, db, opened, now)
        await wall_board.post_board(svc, db, opened)
    svc.wake_outbox()
    return opened


async def discard(svc: Services, chat_id: int, order_id: int) -> None:
    """放弃: the order being written is deleted, photos and all."""
    order = await _own(svc, chat_id, order_id, OrderStatus.DRAFT)
    async with svc.db.write() as db:
        await store.delete(db, order.id)
        await conversations.clear(db, chat_id)


async def mine(svc: Services, chat_id: int) -> list[dict]:
    """The resident's own orders (their words shortened), newest first."""
    return [{"number": o.id, "status": o.status.value, "need": o.need[:40], "round": o.round}
            for o in await store.of_resident(svc.db, chat_id)]


async def rate(svc: Services, chat_id: int, order_id: int, round_: int, rating: Rating) -> WallOrder:
    """群众评单: 满意 / 基本满意 close the order (the member hears it); 不满意 hands it back to the dispatchers for
    another round, and the resident is asked why."""
    order = await _own(svc, chat_id, order_id, OrderStatus.REPORTED)
    if order.round != round_:
        raise UserError("common/stale.j2")
    now = svc.now()
    async with svc.db.write() as db:
        await store.record_rating(db, order, rating, now)
        member = await members.get(db, order.member_id) if order.member_id else None
        if rating is Rating.POOR:
            await store.set_status(db, order.id, OrderStatus.OPEN, now, submitted=True, rating=rating,
                                   round=order.round + 1, member_id=None)
            await conversations.save(db, chat_id, REASON_FORM, "reason", {"order_id": order.id, "round": order.round},
                                     now)
        else:
            await store.set_status(db, order.id, OrderStatus.CLOSED, now, closed=True, rating=rating)
        rated = await store.get(db, order.id)
        assert rated is not None
        if member is not None:
            await _tell_member(svc, db, member, rated, rating)
        if rating is Rating.POOR:
            await wall_board.to_dispatchers(svc, db, rated)
            await wall_board.plan_dispatch(svc, db, rated, now)
        await wall_board.post_board(svc, db, rated)
    svc.wake_outbox()
    return rated


async def _tell_member(svc: Services, db: Conn, member: Member, order: WallOrder, rating: Rating) -> None:
    await notify.to_member(svc, db, member, Outgoing(template="wall/rated_member.j2",
                                                    params={"number": order.id, "rating": rating.value}),
                           kind="wall.rated")


async def reason(svc: Services, chat_id: int, data: dict, text: str | None) -> WallOrder:
    """Why the resident was not satisfied: kept with that round's rating and told to the dispatchers."""
    order = await store.get(svc.db, int(data["order_id"]))
    if order is None or order.resident_chat != chat_id:
        raise UserError("common/stale.j2")
    said = (text or "").strip()
    if not said:
        raise UserError("wall/reason_what.j2")
    if len(said) > rules.REASON_MAX or rules.has_link(said):
        raise UserError("wall/reason_what.j2")
    async with svc.db.write() as db:
        await store.save_reason(db, order.id, int(data["round"]), said)
        await conversations.clear(db, chat_id)
        for member in await wall_board.dispatchers(db, order.branch_id):
            await notify.to_member(svc, db, member, Outgoing(template="wall/reason.j2",
                                                            params={"number": order.id, "reason": said}),
                                   kind="wall.reason")
    svc.wake_outbox()
    return order
