"""Notices (通知): write, preview, send to the branch or a role, read receipts, 催读 and the automatic nudge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.callbacks import notices as notices_cb
from bot.domain.models import Branch, Member
from bot.domain.notices import Notice, ReadCounts
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import COMMITTEE_ROLES, Role
from bot.errors import UserError
from bot.features import Feature
from bot.outgoing import Attachment, Button, Outgoing, button
from bot.services import Services, membership
from storage import audit, branches, conversations, members, notices, outbox
from storage.connection import Conn

BODY_MAX = 3000
AUDIENCES = {"all": "全体党员", "committee": "支委成员", "group_leader": "党小组长", "probationary": "预备党员"}


def audience_members(active: list[Member], audience: str, author_id: int) -> list[Member]:
    """Who a notice goes to; the author does not notify themselves."""
    if audience == "all":
        chosen = active
    elif audience == "committee":
        chosen = [m for m in active if m.roles & COMMITTEE_ROLES]
    else:
        role = Role(audience)
        chosen = [m for m in active if role in m.roles]
    return [m for m in chosen if m.id != author_id]


def can_read(member: Member) -> bool:
    """A notice reaches a member through the bot: one without Telegram (no smartphone) or who blocked it cannot
    read it there, so is neither counted as a recipient nor left unread forever; the secretary tells them."""
    return member.telegram_id is not None and member.reachable


def read_button(notice_id: int) -> list[list[Button]]:
    return [[button("notices/read", notices_cb.read(notice_id))]]


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
        raise UserError("common/too_long.j2", field="通知内容", max=BODY_MAX, length=len(body))
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
        raise UserError("common/too_long.j2", field="通知内容", max=BODY_MAX, length=len(body))
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
    active = await members.in_branch(svc.db, notice.branch_id)
    return len([m for m in audience_members(active, notice.audience, notice.author_id) if can_read(m)])


async def told_in_person(svc: Services, notice: Notice) -> list[str]:
    """Names in the notice's audience whom it cannot reach through the bot: to be told in person."""
    active = await members.in_branch(svc.db, notice.branch_id)
    return [m.name for m in audience_members(active, notice.audience, notice.author_id) if not can_read(m)]


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
    return f"notice:{notice_id}:nudge-auto:"


def nudges_wanted(notice: Notice, recipients: list[Member], nudge_days: int) -> list[Planned]:
    """The automatic nudge `nudge_days` after sending, one per recipient still active and reachable (whether they
    read it meanwhile is checked at send time); none for a notice not sent."""
    if notice.status != "sent" or notice.sent_at is None:
        return []
    nudge = Outgoing(template="notices/nudge.j2", params={"body": notice.body[:100], "sent": notice.sent_at.isoformat(),
                     "auto": True}, buttons=read_button(notice.id))
    return [Planned(key=f"{nudge_scope(notice.id)}member:{m.id}", chat_id=m.telegram_id, kind="notice.nudge",
                    payload=nudge, due_at=notice.sent_at + timedelta(days=nudge_days), branch_id=notice.branch_id,
                    member_id=m.id)
            for m in recipients if m.is_active and m.telegram_id is not None and m.reachable]


async def nudges_of(db: Conn, notice: Notice) -> list[Planned]:
    """The notice's automatic nudges as its current state (recipients, members) needs them."""
    branch = await branches.get(db, notice.branch_id)
    recipients = [await members.get(db, member_id) for member_id in await notices.recipient_ids(db, notice.id)]
    return nudges_wanted(notice, recipients, branch.settings.notice_nudge_days)


async def send(svc: Services, telegram_id: int, notice_id: int) -> Sent:
    """Queue one copy per recipient (with 已读), the automatic nudge, and the group post if asked."""
    actor, notice = await _own_notice(svc, telegram_id, notice_id)
    now = svc.now()
    branch = await branches.get(svc.db, notice.branch_id)
    audience = audience_members(await members.in_branch(svc.db, notice.branch_id), notice.audience, actor.id)
    recipients = [m for m in audience if can_read(m)]
    in_person = [m.name for m in audience if not can_read(m)]
    if not recipients:
        raise UserError("notices/nobody.j2")
    attachments = [Attachment(file_id=notice.file_id, kind=notice.file_kind)] if notice.file_id else []
    copy = Outgoing(template="notices/notice.j2", params={"branch": branch.name, "author": actor.name,
                    "body": notice.body}, buttons=read_button(notice.id), attachments=attachments)
    async with svc.db.write() as db:
        if not await notices.mark_sent(db, notice.id, now):
            raise UserError("notices/already_sent.j2")
        await notices.add_recipients(db, notice.id, [m.id for m in recipients])
        for member in recipients:
            await outbox.upsert(db, Planned(key=f"notice:{notice.id}:member:{member.id}", chat_id=member.telegram_id,
                                            kind="notice", payload=copy, due_at=now, branch_id=branch.id,
                                            member_id=member.id), now)
        await outbox.converge(db, nudge_scope(notice.id), await nudges_of(db, await notices.get(db, notice.id)), now)
        if notice.to_group and branch.group_chat_id is not None:
            group_post = copy.model_copy(update={"buttons": [], "params": {**copy.params, "in_group": True}})
            await outbox.upsert(db, Planned(key=f"notice:{notice.id}:group", chat_id=branch.group_chat_id,
                                            kind="notice.group", payload=group_post, due_at=now,
                                            branch_id=branch.id), now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="notice.send", branch_id=branch.id, actor_id=actor.id,
                           subject=f"notice:{notice.id}", audience=notice.audience, recipients=len(recipients),
                           in_person=len(in_person))
    svc.wake_outbox()
    sent = await notices.get(svc.db, notice.id)
    return Sent(sent, len(recipients), await notices.counts(svc.db, notice.id), in_person)


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
    async with svc.db.write() as db:
        changed = await notices.mark_read(db, notice.id, member.id, svc.now())
        if changed is None:
            raise UserError("notices/not_recipient.j2")
    return ReadResult(notice, bool(changed), await notices.counts(svc.db, notice.id))


@dataclass
class Status:
    notice: Notice
    counts: ReadCounts
    unread_names: list[str]


async def status(svc: Services, telegram_id: int, notice_id: int) -> Status:
    _, notice = await _own_notice(svc, telegram_id, notice_id)
    unread = [await members.get(svc.db, m) for m in await notices.unread_member_ids(svc.db, notice.id)]
    return Status(notice, await notices.counts(svc.db, notice.id), [m.name for m in unread])


async def nudge_unread(svc: Services, telegram_id: int, notice_id: int) -> int:
    """催读: one more reminder to each unread recipient (a double tap in the same minute sends nothing more)."""
    actor, notice = await _own_notice(svc, telegram_id, notice_id)
    if notice.status != "sent":
        raise UserError("common/stale.j2")
    now = svc.now()
    stamp = now.strftime("%Y%m%d%H%M")
    unread_ids = await notices.unread_member_ids(svc.db, notice.id)
    nudge = Outgoing(template="notices/nudge.j2", params={"body": notice.body[:100], "sent": notice.sent_at.isoformat(),
                     "auto": False}, buttons=read_button(notice.id))
    queued = 0
    async with svc.db.write() as db:
        for member_id in unread_ids:
            member = await members.get(db, member_id)
            if member is None or not member.is_active or member.telegram_id is None or not member.reachable:
                continue
            await outbox.upsert(db, Planned(key=f"notice:{notice.id}:nudge@{stamp}:member:{member.id}",
                                            chat_id=member.telegram_id, kind="notice.nudge", payload=nudge,
                                            due_at=now, branch_id=notice.branch_id, member_id=member.id), now)
            queued += 1
        await notices.count_nudge(db, notice.id, unread_ids)
        await audit.record(db, now=now, action="notice.nudge", branch_id=notice.branch_id, actor_id=actor.id,
                           subject=f"notice:{notice.id}", unread=len(unread_ids))
    svc.wake_outbox()
    return queued


async def _still_unread(svc: Services, row: OutboxRow, now: datetime) -> bool:
    notice_id = int(row.key.split(":")[1])
    return row.member_id is not None and not await notices.is_read(svc.db, notice_id, row.member_id)


FEATURE = Feature(name="notices", relevance={"notice.nudge": _still_unread})
