"""The collectors' cards of a member's dues report, kept in step on every collector's phone: waiting (✅ 确认收到
with the amount on the button), confirmed (by whom, how much — no buttons left), or waiting again after an undo."""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.callbacks import dues as dues_cb
from bot.domain import dates
from bot.domain import dues as rules
from bot.domain.dues import COLLECTOR_ROLES, DuesPayment, DuesStatus
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.keys import dues as dues_keys
from bot.outgoing import Outgoing, button
from bot.render import word
from bot.services import Services, reviewers
from storage import dues, members, outbox
from storage.connection import Conn

CARD = "dues.reported"  # the outbox kind of a card sent to a collector


async def route(svc: Services, db: Conn, member: Member) -> reviewers.Route:
    """Who confirms the member's dues: the branch's collectors other than the member, else the officers above."""
    return await reviewers.deciders(svc, db, member.branch_id, member, COLLECTOR_ROLES)


def waiting_card(member: Member, period: str, fen: int | None, route: reviewers.Route) -> Outgoing:
    """A report to confirm: the amount given, the member's standard when it differs, why it came to whoever
    confirms it when they are not the usual collectors, ✅ 确认收到 <amount>."""
    return Outgoing(template="dues/reported_card.j2",
                    params={"name": member.name, "month": dates.period_label(period), "yuan": rules.yuan(fen),
                            "standard": rules.yuan(member.dues_fen) if fen != member.dues_fen else "",
                            "routed": {**route.params(), "label": word("review/label", kind="dues"),
                                       "verb": word("review/verb", kind="dues")}},
                    buttons=[[button("dues/confirm_one", dues_cb.confirm(member.id, rules.period_code(period)),
                                     yuan=rules.yuan(fen if fen is not None else member.dues_fen))]])


def confirmed_card(member: Member, period: str, payment: DuesPayment, by: str, undo: bool = False) -> Outgoing:
    """Confirmed: by whom and how much, no button — or, on the confirmer's own copies (`undo`), ↩️ 撤销确认."""
    rows = [[button("dues/undo", dues_cb.undo(member.id, rules.period_code(period)))]] if undo else []
    return Outgoing(template="dues/confirmed_card.j2",
                    params={"name": member.name, "month": dates.period_label(period), "yuan": rules.yuan(payment.amount_fen),
                            "by": None if undo else by, "paid_by": payment.paid_by, "undo": undo}, buttons=rows)


async def update_all(svc: Services, db: Conn, member: Member, period: str, message: Outgoing,
                     mine: tuple[int, Outgoing] | None = None) -> None:
    """Every collector's card of the member's month shows `message` (edits through the outbox, in the caller's
    transaction); `mine` (a Telegram id, a message): that collector's own copies show this one instead."""
    now, change = svc.now(), secrets.token_hex(6)
    for row in await outbox.by_prefix(db, dues_keys.every.scope(member.id, period)):
        if row.kind != CARD or row.message_id is None:
            continue
        shown = mine[1] if mine is not None and row.chat_id == mine[0] else message
        await outbox.upsert(db, Planned(
            key=dues_keys.card_edit(member.id, period, row.id, change), chat_id=row.chat_id, kind="dues.card_edit",
            payload=shown.model_copy(update={"edit_message_id": row.message_id}), due_at=now,
            branch_id=row.branch_id, member_id=row.member_id, urgent=True), now)


async def current(svc: Services, db: Conn, member: Member, period: str) -> Outgoing | None:
    """What the member's cards should show now: confirmed, or waiting (None: nothing reported or recorded)."""
    payment = await dues.get(db, member.id, period)
    if payment is None:
        return None
    if payment.status is DuesStatus.CONFIRMED:
        collector = await members.get(db, payment.confirmed_by) if payment.confirmed_by else None
        return confirmed_card(member, period, payment, collector.name if collector else "")
    return waiting_card(member, period, payment.amount_fen, await route(svc, db, member))


async def still_waiting(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A card not sent yet goes out only while the report still waits (a confirmed one needs no card)."""
    parsed = dues_keys.every.parse(row.key)
    if parsed is None:
        return False
    payment = await dues.get(svc.db, parsed.member, parsed.period)
    return payment is not None and payment.status is DuesStatus.REPORTED
