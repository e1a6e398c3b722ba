"""Notices (通知): write, preview, send to the branch or a role; the 已读 receipts, 催读 and the automatic nudge are
the receipts-and-nudges core's (bot/services/receipts.py), shared with officers' notices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.callbacks import notices as notices_cb
from bot.domain.models import Branch, Member
from bot.domain.notices import Notice, ReadCounts, Recipient
from bot.domain.outbox import Planned
from bot.domain.roles import COMMITTEE_ROLES, Role
from bot.errors import UserError
from bot.features import Feature
from bot.keys import notices as notice_keys
from bot.keys import refs
from bot.outgoing import Attachment, Outgoing
from bot.services import Services, membership, receipts
from storage import audit, branches, conversations, members, notices, outbox
from storage import receipts as receipts_store
from storage.connection import Conn
from storage.receipts import Table

BODY_MAX = 3000
# Branch notices in the receipts-and-nudges core: receipts in notice_receipts, copies and nudges keyed notice:{id}:….
CHANNEL = receipts.Channel(family="notice", table=Table.BRANCH, copy_kind="notice", nudge_kind="notice.nudge",
                           read=notices_cb.read)


def can_read(person: Recipient) -> bool:
    """A notice reaches a member through the bot: one without Telegram (no smartphone) or who blocked it cannot
    read it there, so is neither counted as a recipient nor left unread forever; the secretary tells them."""
    return person.telegram_id is not None and person.reachable


def _of_branch(key: str, chosen: Callable[[Member], bool]) -> receipts.Audience:
    """Active members of the notice's branch that `chosen` picks; the author does not notify themselves."""

    async def pick(db: Conn, notice: Notice) -> list[Recipient]:
        return [receipts.recipient(m) for m in await members.in_branch(db, notice.branch_id)
                if chosen(m) and m.id != notice.author_id]

    return receipts.Audience(key, pick)


_AUDIENCES = (
    _of_branch("all", lambda m: True),
    _of_branch("committee", lambda m: bool(m.roles & COMMITTEE_ROLES)),
    _of_branch("group_leader", lambda m: Role.GROUP_LEADER in m.roles),
    _of_branch("probationary", lambda m: Role.PROBATIONARY in m.roles),
)
AUDIENCES = tuple(a.key for a in _AUDIENCES)  # named in templates/notices/words.j2
_BY_KEY = {a.key: a for a in _AUDIENCES}


async def audience_of(db: Conn, notice: Notice) -> tuple[list[Recipient], list[str]]:
    """(who the notice reaches through the bot, the names in its audience to be told in person)."""
    everyone = await _BY_KEY[notice.audience].pick(db, notice)
    names = {m.id: m.name for m in await members.in_branch(db, notice.branch_id)}
    return [r for r in everyone if can_read(r)], [names[r.member_id] for r in everyone if not can_read(r)]


async def begin(svc: Services, telegram_id: int) -> Member:
    actor = await membership.approver(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, "notice", "body", {}, svc.now())
    return actor


async def draft(svc: Services, telegram_id: int, body: str | None, file_id: str | None, file_kind: str | None) -> Notice:
    """The secretary sent the notice's content: keep it as a draft and show the preview."""
    actor = await membership.approver(svc, telegram_id)
    body = (body or "").strip()
    if not body:
        raise UserError("notices/empty.j2")
    if len(body) > BODY_MAX:
        raise UserError("common/too_long.j2", field="notice_body", max=BODY_MAX, length=len(body))
    now = svc.now()
    async with svc.db.write() as db:
        notice = await notices.create_draft(db, actor.branch_id, actor.id, body, file_id, file_kind, now)
        await conversations.save(db, telegram_id, "notice", "preview", {"notice_id": notice.id}, now)
    return notice


async def add_to_draft(svc: Services, telegram_id: int, notice_id: int, text: str | None, file_id: str | None,
                       file_kind: str | None) -> Notice:
    """More sent while the preview is shown: the text is appended to the draft (one line per message) and a file
    is attached if it has none yet — saved before the preview is shown again; 发送 is pressed when it is complete."""
    _, notice = await _own_notice(svc, telegram_id, notice_id)
    if notice.status != "draft":
        raise UserError("notices/already_sent.j2")
    text = (text or "").strip()
    if file_id is not None and notice.file_id is not None:
        raise UserError("notices/one_file.j2")
    if not text and file_id is None:
        raise UserError("notices/empty.j2")
    body = f"{notice.body}\n{text}" if text else notice.body
    if len(body) > BODY_MAX:
        raise UserError("common/too_long.j2", field="notice_body", max=BODY_MAX, length=len(body))
    async with svc.db.write() as db:
        revised = await notices.revise_draft(db, notice.id, body, file_id or notice.file_id,
                                             file_kind or notice.file_kind)
    if revised is None:
        raise UserError("notices/already_sent.j2")
    return revised


async def _own_notice(svc: Services, telegram_id: int, notice_id: int) -> tuple[Member, Notice]:
    notice = await notices.get(svc.db, notice_id)
    if notice is None:
        raise UserError("common/stale.j2")
    actor = await membership.approver(svc, telegram_id, notice.branch_id)
    return actor, notice


async def set_options(svc: Services, telegram_id: int, notice_id: int, audience: str | None = None,
                      toggle_group: bool = False) -> Notice:
    _, notice = await _own_notice(svc, telegram_id, notice_id)
    if notice.status != "draft":
        raise UserError("notices/already_sent.j2")
    if audience is not None and audience not in AUDIENCES:
        raise UserError("common/stale.j2")
    branch = await branches.get(svc.db, notice.branch_id)
    to_group = (not notice.to_group) if toggle_group else notice.to_group
    if to_group and branch.group_chat_id is None:
        raise UserError("notices/no_group.j2")
    async with svc.db.write() as db:
        await notices.set_options(db, notice.id, audience or notice.audience, to_group)
    return await notices.get(svc.db, notice.id)


async def branch_of(svc: Services, notice: Notice) -> Branch:
    return await branches.get(svc.db, notice.branch_id)


async def recipient_count(svc: Services, notice: Notice) -> int:
    return len((await audience_of(svc.db, notice))[0])


async def told_in_person(svc: Services, notice: Notice) -> list[str]:
    """Names in the notice's audience whom it cannot reach through the bot: to be told in person."""
    return (await audience_of(svc.db, notice))[1]


async def discard(svc: Services, telegram_id: int, notice_id: int) -> None:
    _, notice = await _own_notice(svc, telegram_id, notice_id)
    async with svc.db.write() as db:
        await notices.discard(db, notice.id)
        await conversations.clear(db, telegram_id)


async def rewrite(svc: Services, telegram_id: int, notice_id: int) -> None:
    await discard(svc, telegram_id, notice_id)
    await begin(svc, telegram_id)


@dataclass
class Sent:
    notice: Notice
    recipients: int
    counts: ReadCounts
    in_person: list[str]  # in the audience but unreachable through the bot


def nudge_scope(notice_id: int) -> str:
    return CHANNEL.nudge_scope(notice_id)


def _nudge(notice: Notice, auto: bool) -> Outgoing:
    return receipts.nudge_message(CHANNEL, notice.id, notice.body, notice.sent_at, auto)


async def nudges_of(db: Conn, notice: Notice) -> list[Planned]:
    """The notice's automatic nudges (`notice_nudge_days` after sending) as its current state (recipients, members)
    needs them; none for a notice not sent."""
    if notice.status != "sent" or notice.sent_at is None:
        return []
    branch = await branches.get(db, notice.branch_id)
    recipients = [await members.get(db, i) for i in await receipts_store.member_ids(db, CHANNEL.table, notice.id)]
    return receipts.auto_nudges(CHANNEL, notice.id, [m for m in recipients if m], _nudge(notice, auto=True),
                                notice.sent_at + timedelta(days=branch.settings.notice_nudge_days))


async def send(svc: Services, telegram_id: int, notice_id: int) -> Sent:
    """Queue one copy per recipient (with 已读), the automatic nudge, and the group post if asked."""
    actor, notice = await _own_notice(svc, telegram_id, notice_id)
    now = svc.now()
    branch = await branches.get(svc.db, notice.branch_id)
    recipients, in_person = await audience_of(svc.db, notice)
    if not recipients:
        raise UserError("notices/nobody.j2")
    attachments = [Attachment(file_id=notice.file_id, kind=notice.file_kind)] if notice.file_id else []
    copy = Outgoing(template="notices/notice.j2", params={"branch": branch.name, "author": actor.name,
                    "body": notice.body}, attachments=attachments)
    async with svc.db.write() as db:
        if not await notices.mark_sent(db, notice.id, now):
            raise UserError("notices/already_sent.j2")
        await receipts.deliver(svc, db, CHANNEL, notice.id, recipients, copy, now)
        await outbox.converge(db, nudge_scope(notice.id), await nudges_of(db, await notices.get(db, notice.id)), now)
        if notice.to_group and branch.group_chat_id is not None:
            group_post = copy.model_copy(update={"params": {**copy.params, "in_group": True}})
            await outbox.upsert(db, Planned(key=notice_keys.group(notice.id), chat_id=branch.group_chat_id,
                                            kind="notice.group", payload=group_post, due_at=now,
                                            branch_id=branch.id), now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="notice.send", branch_id=branch.id, actor_id=actor.id,
                           subject=refs.notice(notice.id), audience=notice.audience, recipients=len(recipients),
                           in_person=len(in_person))
    svc.wake_outbox()
    sent = await notices.get(svc.db, notice.id)
    return Sent(sent, len(recipients), await receipts.counts(svc, CHANNEL, notice.id), in_person)


async def remember_status_message(svc: Services, notice_id: int, chat_id: int, message_id: int) -> None:
    async with svc.db.write() as db:
        await notices.set_status_message(db, notice_id, chat_id, message_id)


@dataclass
class ReadResult:
    notice: Notice
    newly_read: bool
    counts: ReadCounts


async def mark_read(svc: Services, telegram_id: int, notice_id: int) -> ReadResult:
    """A recipient tapped 已读; only recipients count, a second tap changes nothing."""
    member = await membership.active_member(svc, telegram_id)
    notice = await notices.get(svc.db, notice_id)
    if notice is None or notice.branch_id != member.branch_id:
        raise UserError("common/stale.j2")
    changed = await receipts.mark_read(svc, CHANNEL, notice.id, member.id)
    if changed is None:
        raise UserError("notices/not_recipient.j2")
    return ReadResult(notice, changed, await receipts.counts(svc, CHANNEL, notice.id))


@dataclass
class Status:
    notice: Notice
    counts: ReadCounts
    unread_names: list[str]


async def status(svc: Services, telegram_id: int, notice_id: int) -> Status:
    _, notice = await _own_notice(svc, telegram_id, notice_id)
    unread = await receipts.unread(svc, CHANNEL, notice.id)
    return Status(notice, await receipts.counts(svc, CHANNEL, notice.id), [m.name for m in unread])


async def nudge_unread(svc: Services, telegram_id: int, notice_id: int) -> int:
    """催读: one more reminder to each unread recipient (a double tap in the same minute sends nothing more)."""
    actor, notice = await _own_notice(svc, telegram_id, notice_id)
    if notice.status != "sent":
        raise UserError("common/stale.j2")
    now = svc.now()
    async with svc.db.write() as db:
        queued, unread = await receipts.nudge_unread(svc, db, CHANNEL, notice.id, _nudge(notice, auto=False), now)
        await audit.record(db, now=now, action="notice.nudge", branch_id=notice.branch_id, actor_id=actor.id,
                           subject=refs.notice(notice.id), unread=unread)
    svc.wake_outbox()
    return queued


FEATURE = Feature(name="notices", relevance={"notice.nudge": receipts.still_unread(CHANNEL)})
