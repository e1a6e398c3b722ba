"""The receipts-and-nudges core of notices, whoever sends them: a branch's committee to its members
(bot/services/notices.py) or a unit's officer to the branches below (bot/services/officer_notices.py).

A notice family is a `Channel` (its receipts table, how its outbox rows are keyed and named, its 已读 button); who
a notice goes to is an `Audience` (a key stored on the notice, a label, and the recipients it picks). The core
keeps a receipt per recipient and queues each reachable one a copy with 已读, records reads (only recipients
count, a second tap changes nothing), sends 催读 and the automatic nudge to those still unread, and skips a queued
copy or nudge the recipient has read meanwhile.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.callbacks import Action
from bot.domain.models import Member
from bot.domain.notices import ReadCounts, Recipient
from bot.domain.outbox import OutboxRow, Planned
from bot.engine_types import Relevance
from bot.keys import notices as notice_keys
from bot.outgoing import Button, Outgoing, button
from bot.services import Services
from storage import members, outbox, receipts
from storage.connection import Conn
from storage.receipts import Table


@dataclass(frozen=True)
class Channel:
    """One family of notices."""

    family: str  # of its outbox keys (bot/keys/notices.py): notice, onotice
    table: Table
    copy_kind: str  # the outbox kind of a recipient's copy
    nudge_kind: str  # … and of a nudge
    read: Action  # the 已读 button (notice id)

    def read_button(self, notice_id: int) -> list[list[Button]]:
        return [[button("notices/read", self.read(notice_id))]]

    def nudge_scope(self, notice_id: int) -> str:
        return notice_keys.auto_nudges.scope(self.family, notice_id)

    def notice_of(self, row: OutboxRow) -> int:
        return notice_keys.every.read(row.key).notice


# The recipients an audience picks for a notice: (connection, notice) → recipients.
Pick = Callable[[Conn, Any], Awaitable[list[Recipient]]]


@dataclass(frozen=True)
class Audience:
    """Who a notice goes to: stored on the notice as `key` (named in templates/notices/words.j2)."""

    key: str
    pick: Pick


def recipient(member: Member) -> Recipient:
    return Recipient(member_id=member.id, branch_id=member.branch_id, telegram_id=member.telegram_id,
                     reachable=member.reachable)


async def deliver(svc: Services, db: Conn, channel: Channel, notice_id: int, recipients: list[Recipient],
                  copy: Outgoing, now: datetime) -> int:
    """Inside the send's transaction: a receipt for every recipient and a copy (with 已读) queued to each the bot
    can reach. Returns how many copies were queued."""
    await receipts.add(db, channel.table, notice_id, [(r.member_id, r.branch_id) for r in recipients])
    copy = copy.model_copy(update={"buttons": channel.read_button(notice_id)})
    queued = 0
    for person in recipients:
        if person.telegram_id is None or not person.reachable:
            continue
        await outbox.upsert(db, Planned(key=notice_keys.copy(channel.family, notice_id, person.member_id),
                                        chat_id=person.telegram_id, kind=channel.copy_kind, payload=copy, due_at=now,
                                        branch_id=person.branch_id, member_id=person.member_id), now)
        queued += 1
    return queued


async def mark_read(svc: Services, channel: Channel, notice_id: int, member_id: int) -> bool | None:
    """已读: True when newly read, False when read already, None when the member is no recipient."""
    async with svc.db.write() as db:
        return await receipts.mark_read(db, channel.table, notice_id, member_id, svc.now())


async def counts(svc: Services, channel: Channel, notice_id: int) -> ReadCounts:
    return await receipts.counts(svc.db, channel.table, notice_id)


async def unread(svc: Services, channel: Channel, notice_id: int) -> list[Member]:
    return [m for m in [await members.get(svc.db, i)
                        for i in await receipts.member_ids(svc.db, channel.table, notice_id, unread=True)] if m]


def nudge_message(channel: Channel, notice_id: int, body: str, sent_at: datetime, auto: bool, **params: Any) -> Outgoing:
    """A reminder of a notice not read yet, carrying 已读 again."""
    return Outgoing(template="notices/nudge.j2", params={"body": body[:100], "sent": sent_at.isoformat(),
                                                         "auto": auto, **params},
                    buttons=channel.read_button(notice_id))


def _reachable(member: Member | None) -> bool:
    return member is not None and member.is_active and member.telegram_id is not None and member.reachable


def auto_nudges(channel: Channel, notice_id: int, recipients: list[Member], message: Outgoing,
                due: datetime) -> list[Planned]:
    """The automatic nudge at `due`, one per recipient still active and reachable (whether they read it meanwhile is
    checked at send time): what `outbox.converge` keeps under the channel's nudge scope."""
    return [Planned(key=notice_keys.auto_nudge(channel.family, notice_id, m.id), chat_id=m.telegram_id,
                    kind=channel.nudge_kind, payload=message, due_at=due, branch_id=m.branch_id, member_id=m.id)
            for m in recipients if _reachable(m)]


async def nudge_unread(svc: Services, db: Conn, channel: Channel, notice_id: int, message: Outgoing,
                       now: datetime) -> tuple[int, int]:
    """催读, inside the caller's transaction: one more reminder to each unread recipient the bot can reach (a double
    tap in the same minute sends nothing more). Returns (queued, unread)."""
    unread_ids = await receipts.member_ids(db, channel.table, notice_id, unread=True)
    queued = 0
    for member_id in unread_ids:
        member = await members.get(db, member_id)
        if not _reachable(member):
            continue
        await outbox.upsert(db, Planned(key=notice_keys.nudge(channel.family, notice_id, now, member.id),
                                        chat_id=member.telegram_id, kind=channel.nudge_kind, payload=message,
                                        due_at=now, branch_id=member.branch_id, member_id=member.id), now)
        queued += 1
    await receipts.count_nudge(db, channel.table, notice_id, unread_ids)
    return queued, len(unread_ids)


def still_unread(channel: Channel) -> Relevance:
    """The relevance check of the channel's queued copies and nudges: sent only while the recipient has not read it."""

    async def check(svc: Services, row: OutboxRow, now: datetime) -> bool:
        return row.member_id is None or not await receipts.is_read(svc.db, channel.table, channel.notice_of(row),
                                                                   row.member_id)

    return check
