"""An officer's notice to their whole subtree — every branch's secretaries, or every member — with 已读 receipts
and 催读 from the receipts-and-nudges core (bot/services/receipts.py) that branch notices use too, counted per
branch (a view of branches by read rate, worst first)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import overview as cb
from bot.domain import overview as domain
from bot.domain.notices import Recipient
from bot.domain.overview import BranchReads, OfficerNotice
from bot.errors import UserError
from bot.keys import refs
from bot.outgoing import Outgoing
from bot.services import Services, membership, receipts, units
from bot.services.notices import BODY_MAX
from storage import audit, conversations
from storage import officer_notices as store
from storage import units as unit_store
from storage.connection import Conn
from storage.receipts import Table

FORM = "officer_notice"
# Officers' notices in the receipts-and-nudges core: receipts in officer_notice_receipts, keys onotice:{id}:….
CHANNEL = receipts.Channel(family="onotice", table=Table.OFFICER, copy_kind="overview.notice",
                           nudge_kind="onotice.nudge", read=cb.notice_read)


def _of_subtree(key: str) -> receipts.Audience:
    """Every active member of the branches under the notice's unit (`members`), or their secretaries only."""

    async def pick(db: Conn, notice: OfficerNotice) -> list[Recipient]:
        return await store.recipients(db, notice.unit_id, key)

    return receipts.Audience(key, pick)


_AUDIENCES = (_of_subtree("secretaries"), _of_subtree("members"))
AUDIENCES = tuple(a.key for a in _AUDIENCES)  # named in templates/notices/words.j2
_BY_KEY = {a.key: a for a in _AUDIENCES}


async def begin(svc: Services, telegram_id: int) -> None:
    scope = await units.require_officer(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, FORM, "body", {"unit_id": scope[0]}, svc.now())


async def draft(svc: Services, telegram_id: int, name: str, body: str | None, data: dict) -> OfficerNotice:
    """The officer typed the notice: kept as a draft to the secretaries; the preview follows."""
    body = (body or "").strip()
    if not body:
        raise UserError("notices/empty.j2")
    if len(body) > BODY_MAX:
        raise UserError("common/too_long.j2", field="notice_body", max=BODY_MAX, length=len(body))
    unit = await units.unit_in_scope(svc, telegram_id, data.get("unit_id", 0))
    async with svc.db.write() as db:
        notice = await store.create_draft(db, unit.id, telegram_id, name, body, svc.now())
        await conversations.save(db, telegram_id, FORM, "preview", {"notice_id": notice.id}, svc.now())
    return notice


async def _own(svc: Services, telegram_id: int, notice_id: int) -> OfficerNotice:
    notice = await store.get(svc.db, notice_id)
    if notice is None or notice.author_telegram_id != telegram_id:
        raise UserError("common/stale.j2")
    await units.unit_in_scope(svc, telegram_id, notice.unit_id)  # still an officer there
    return notice


@dataclass
class Preview:
    notice: OfficerNotice
    unit: str
    branches: int
    audiences: tuple[str, ...]


async def preview(svc: Services, telegram_id: int, notice_id: int, audience: str | None = None) -> Preview:
    notice = await _own(svc, telegram_id, notice_id)
    if audience is not None:
        if audience not in AUDIENCES or notice.status != "draft":
            raise UserError("common/stale.j2")
        async with svc.db.write() as db:
            await store.set_audience(db, notice.id, audience)
        notice = await store.get(svc.db, notice.id)
    unit = await unit_store.get(svc.db, notice.unit_id)
    count = len(await unit_store.branches_under(svc.db, [notice.unit_id]))
    return Preview(notice, unit.name, count, AUDIENCES)


async def discard(svc: Services, telegram_id: int, notice_id: int) -> None:
    notice = await _own(svc, telegram_id, notice_id)
    async with svc.db.write() as db:
        await store.discard(db, notice.id)
        await conversations.clear(db, telegram_id)


@dataclass
class Sent:
    recipients: int
    branches: int


async def send(svc: Services, telegram_id: int, notice_id: int) -> Sent:
    """One copy with 已读 to each recipient in the subtree, through the outbox; sent once, whatever the taps."""
    notice = await _own(svc, telegram_id, notice_id)
    now = svc.now()
    unit = await unit_store.get(svc.db, notice.unit_id)
    copy = Outgoing(template="overview/notice.j2", params={"unit": unit.name, "author": notice.author_name,
                    "body": notice.body})
    async with svc.db.write() as db:
        if not await store.mark_sent(db, notice.id, now):
            raise UserError("notices/already_sent.j2")
        recipients = await _BY_KEY[notice.audience].pick(db, notice)
        if not recipients:
            raise UserError("notices/nobody.j2")  # rolls the whole write back: the draft stays a draft
        await receipts.deliver(svc, db, CHANNEL, notice.id, recipients, copy, now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="officer_notice.send", branch_id=None, actor_id=None,
                           subject=refs.officer_notice(notice.id), officer=telegram_id, unit=notice.unit_id,
                           audience=notice.audience, recipients=len(recipients))
    svc.wake_outbox()
    return Sent(len(recipients), len({p.branch_id for p in recipients}))


async def mark_read(svc: Services, telegram_id: int, notice_id: int) -> bool:
    """A recipient's 已读: True when newly read; anyone else is refused politely."""
    member = await membership.active_member(svc, telegram_id)
    changed = await receipts.mark_read(svc, CHANNEL, notice_id, member.id)
    if changed is None:
        raise UserError("notices/not_recipient.j2")
    return changed


@dataclass
class Reads:
    notice: OfficerNotice
    items: list[BranchReads]
    page: int
    pages: int
    recipients: int
    read: int


async def reads(svc: Services, telegram_id: int, notice_id: int, page: int = 0) -> Reads:
    """Read counts per branch, the lowest read rate first; for officers whose subtree holds the notice's unit."""
    notice = await store.get(svc.db, notice_id)
    if notice is None or notice.status != "sent":
        raise UserError("common/stale.j2")
    await units.unit_in_scope(svc, telegram_id, notice.unit_id)
    every = await store.reads_by_branch(svc.db, notice.id)
    items, page, pages = domain.page_of(every, page)
    return Reads(notice, items, page, pages, sum(r.recipients for r in every), sum(r.read for r in every))


async def nudge_unread(svc: Services, telegram_id: int, notice_id: int) -> int:
    """催读: one more reminder to each recipient who has not read it yet (a double tap in the same minute sends
    nothing more); for officers whose subtree holds the notice's unit."""
    notice = await store.get(svc.db, notice_id)
    if notice is None or notice.status != "sent":
        raise UserError("common/stale.j2")
    unit = await units.unit_in_scope(svc, telegram_id, notice.unit_id)
    now = svc.now()
    nudge = receipts.nudge_message(CHANNEL, notice.id, notice.body, notice.sent_at, False, unit=unit.name)
    async with svc.db.write() as db:
        queued, unread = await receipts.nudge_unread(svc, db, CHANNEL, notice.id, nudge, now)
        await audit.record(db, now=now, action="officer_notice.nudge", branch_id=None, actor_id=None,
                           subject=refs.officer_notice(notice.id), officer=telegram_id, unread=unread)
    svc.wake_outbox()
    return queued


STILL_UNREAD = receipts.still_unread(CHANNEL)
