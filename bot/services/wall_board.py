"""What the 民心墙 sends, shared by the resident's and the branch's sides: who dispatches a branch's orders, the
dispatcher's order card (the resident's details: only to dispatchers and the assigned member), the dispatch
reminders, the resident's notices, and the public board — the branch's group sees each order's number and status,
the member it went to and the rating, never the resident's words, phone, place or photos."""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.callbacks import wall as wall_cb
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import APPROVER_ROLES, Role
from bot.domain.wall import OrderStatus, WallOrder, dispatch_due, remind_at
from bot.errors import UserError
from bot.keys import common as common_keys
from bot.keys import wall as wall_keys
from bot.outgoing import Attachment, Outgoing, button
from bot.services import Services, membership, notify
from storage import branches, members, outbox
from storage import wall as store
from storage.connection import Conn

DISPATCHER_ROLES = APPROVER_ROLES | {Role.GROUP_LEADER}
REMIND = "wall.remind"
OVERDUE = "wall.overdue"


def link(svc: Services, code: str) -> str:
    return f"https://t.me/{svc.bot_username}?start=wall_{code}"


def new_code() -> str:
    return secrets.token_urlsafe(9)


async def dispatchers(db: Conn, branch_id: int) -> list[Member]:
    """Who dispatches the branch's orders: the 党小组长 and the secretary (or deputy)."""
    return [m for m in await members.with_role(db, branch_id, DISPATCHER_ROLES) if m.is_active]


async def dispatcher(svc: Services, telegram_id: int, branch_id: int | None = None,
                     refusal: str = "wall/not_dispatcher.j2") -> Member:
    """The presser as a dispatcher of the branch (re-checked on every press, whatever the button said); `refusal`
    says what they were not allowed to do (派单, or confirming a community's service)."""
    member = await membership.active_member(svc, telegram_id)
    if not member.roles & DISPATCHER_ROLES or (branch_id is not None and member.branch_id != branch_id):
        raise UserError(refusal)
    return member


async def order_card(db: Conn, order: WallOrder, template: str = "wall/order_card.j2", **extra: object) -> Outgoing:
    """The order with the resident's details, for a dispatcher's or the assigned member's private chat."""
    photos = await store.photos(db, order.id)
    member = await members.get(db, order.member_id) if order.member_id else None
    return Outgoing(template=template, params={"order": order.model_dump(mode="json"), "photos": len(photos),
                                               "member": member.name if member else None, **extra},
                    attachments=[Attachment(file_id=file_id) for file_id in photos],
                    album_template="wall/album_caption.j2")


async def to_dispatchers(svc: Services, db: Conn, order: WallOrder, reason: str | None = None) -> None:
    """The order's card, with 派单, to every dispatcher of its branch."""
    card = await order_card(db, order, again=order.round > 1, reason=reason)
    card.buttons = [[button("wall/dispatch", wall_cb.dispatch(order.id))]]
    for member in await dispatchers(db, order.branch_id):
        await notify.to_member(svc, db, member, card.model_copy(deep=True), kind="wall.card")


async def plan_dispatch(svc: Services, db: Conn, order: WallOrder, now: datetime) -> None:
    """The round's reminders: to the dispatchers a day before the three days are up, to the secretary when they
    are (each withdrawn at send time once the order was dispatched)."""
    assert order.submitted_at is not None
    buttons = [[button("wall/dispatch", wall_cb.dispatch(order.id))]]
    params = {"number": order.id, "due": dispatch_due(order.submitted_at).isoformat()}
    for member in await dispatchers(db, order.branch_id):
        if member.telegram_id is not None:
            await outbox.upsert(db, Planned(
                key=wall_keys.remind(order.id, order.round, member.id), chat_id=member.telegram_id, kind=REMIND,
                payload=Outgoing(template="wall/remind.j2", params=params, buttons=buttons),
                due_at=remind_at(order.submitted_at), branch_id=order.branch_id, member_id=member.id), now)
    for member in await members.with_role(db, order.branch_id, [Role.SECRETARY]):
        if member.telegram_id is not None and member.is_active:
            await outbox.upsert(db, Planned(
                key=wall_keys.overdue(order.id, order.round, member.id), chat_id=member.telegram_id, kind=OVERDUE,
                payload=Outgoing(template="wall/overdue.j2", params=params, buttons=buttons),
                due_at=dispatch_due(order.submitted_at), branch_id=order.branch_id, member_id=member.id), now)


async def still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A dispatch reminder still has a purpose while its round of the order waits for a dispatch."""
    found = wall_keys.remind.parse(row.key) or wall_keys.overdue.parse(row.key)
    order = await store.get(svc.db, found.order) if found else None
    return order is not None and order.status is OrderStatus.OPEN and order.round == found.round


async def to_resident(svc: Services, db: Conn, order: WallOrder, message: Outgoing) -> None:
    """A notice to the resident's private chat (nothing once their details were erased)."""
    if order.resident_chat is None:
        return
    now = svc.now()
    await outbox.upsert(db, Planned(key=common_keys.one_off("wall.resident", secrets.token_hex(8)),
                                    chat_id=order.resident_chat, kind="wall.resident", payload=message, due_at=now,
                                    branch_id=order.branch_id, urgent=True), now)


def public_line(order: WallOrder, member: str | None) -> dict:
    """An order as the public sees it: number, status, the member it went to, the rating — nothing of the resident."""
    return {"number": order.id, "status": order.status.value, "member": member,
            "rating": order.rating.value if order.rating else None, "round": order.round,
            "submitted": order.submitted_at.isoformat() if order.submitted_at else None}


async def post_board(svc: Services, db: Conn, order: WallOrder) -> None:
    """The order's new status on the branch's group chat, if it has one: the public line only."""
    branch = await branches.get(db, order.branch_id)
    if branch is None or branch.group_chat_id is None:
        return
    member = await members.get(db, order.member_id) if order.member_id else None
    now = svc.now()
    await outbox.upsert(db, Planned(
        key=wall_keys.posted(order.id, order.round, order.status.value), chat_id=branch.group_chat_id,
        kind="wall.board", payload=Outgoing(template="wall/board_line.j2",
                                            params=public_line(order, member.name if member else None)),
        due_at=now, branch_id=order.branch_id), now)


async def board(svc: Services, group_chat_id: int) -> tuple[str, list[dict]] | None:
    """The wall's public view in the branch's group: the branch's name and its latest orders' public lines (None:
    the group is no branch's)."""
    branch = await branches.by_group_chat(svc.db, group_chat_id)
    if branch is None:
        return None
    return branch.name, await _public_lines(svc, branch.id)


async def _public_lines(svc: Services, branch_id: int) -> list[dict]:
    """The branch's latest orders as the public sees them; the member may be of another branch (社区报到)."""
    names = {m.id: m.name for m in await members.in_branch(svc.db, branch_id)}
    lines = []
    for order in await store.of_branch(svc.db, branch_id):
        if order.member_id and order.member_id not in names:
            found = await members.get(svc.db, order.member_id)
            names[order.member_id] = found.name if found else ""
        lines.append(public_line(order, names.get(order.member_id) if order.member_id else None))
    return lines


async def board_for_resident(svc: Services, chat_id: int, order_id: int) -> tuple[str, list[dict]]:
    """看看墙上的点单: the public board of the wall a resident's order is at (their own order re-checked) — the same
    public lines the branch's group sees, nothing of any resident."""
    order = await store.get(svc.db, order_id)
    if order is None or order.resident_chat != chat_id:
        raise UserError("common/stale.j2")
    branch = await branches.get(svc.db, order.branch_id)
    assert branch is not None
    return branch.name, await _public_lines(svc, branch.id)
