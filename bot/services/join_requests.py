"""Join requests beyond the first card: a name that does not look real is questioned (请填写真实姓名) with a confirm;
the applicant may correct the name or withdraw while nobody has decided; /pending lists the requests with 通过 /
拒绝 for the approvers. Joining itself (the link, the card, the decision) is bot/services/membership.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.callbacks import commands as commands_cb
from bot.callbacks.commands import Command
from bot.domain import names
from bot.domain.models import Member, MemberStatus
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, linking, membership, notify
from storage import audit, branches, conversations, members
from storage import roster as roster_store

JOIN_FORM = "join"  # membership.begin_join's form: the name, then (if questioned) its confirmation
RENAME_FORM = "join_rename"
CONFIRM_STEP = "confirm_name"


@dataclass(frozen=True)
class Questioned:
    """The name typed does not look like a real one: asked again, with a button to keep it as typed."""

    name: str


async def checked_name(svc: Services, telegram_id: int, text: str | None, form: str, data: dict) -> str | Questioned:
    """The real name as typed (cleaned), or Questioned — the form then waits at its confirm step with the name kept,
    so 确认使用 takes it; typing another name answers again."""
    name = membership.clean_name(text or "")
    if not names.unusual(name) or data.get("confirmed") == name:
        return name
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, form, CONFIRM_STEP, {**data, "candidate": name}, svc.now())
    return Questioned(name)


async def confirmed(svc: Services, telegram_id: int) -> tuple[str, str, dict]:
    """确认使用 pressed: (the form, the name kept, the form's data marked as confirmed for that name)."""
    conversation = await conversations.get(svc.db, telegram_id)
    if conversation is None or conversation.kind not in (JOIN_FORM, RENAME_FORM) or conversation.step != CONFIRM_STEP:
        raise UserError("common/stale.j2")
    name = conversation.data["candidate"]
    return conversation.kind, name, {**conversation.data, "confirmed": name}


async def _own_request(svc: Services, telegram_id: int) -> Member:
    member = await members.by_telegram_id(svc.db, telegram_id)
    if member is None or member.status is not MemberStatus.PENDING:
        raise UserError("join/not_pending.j2")
    return member


async def begin_rename(svc: Services, telegram_id: int) -> Member:
    """✏️ 修改姓名 on one's own waiting request: the next message is the corrected name."""
    member = await _own_request(svc, telegram_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, RENAME_FORM, "name", {"member_id": member.id}, svc.now())
    return member


async def rename(svc: Services, telegram_id: int, name: str) -> tuple[Member, str]:
    """The corrected name is kept and the approvers get the card again with it: (the request, the old name)."""
    member = await _own_request(svc, telegram_id)
    old, now = member.name, svc.now()
    async with svc.db.write() as db:
        if not await members.rename_pending(db, member.id, name, now):
            raise UserError("join/not_pending.j2")
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="member.request_rename", branch_id=member.branch_id,
                           actor_id=member.id, subject=refs.member(member.id), old=old, name=name)
        member = await members.get(db, member.id)
        await _tell_approvers(svc, db, member, Outgoing(
            template="join/request_card.j2", params={"name": name, "branch": (await branches.get(db, member.branch_id)).name,
                                                     "old_name": old},
            buttons=[await membership.request_buttons(db, member)]))
    svc.wake_outbox()
    return member, old


async def withdraw(svc: Services, telegram_id: int) -> Member:
    """↩️ 撤回申请: the request ends before anyone decides (the status `left`: gone before joining); the approvers
    are told, and their cards answer that it was withdrawn. Opening the link again starts a new request."""
    member = await _own_request(svc, telegram_id)
    now = svc.now()
    async with svc.db.write() as db:
        await members.set_status(db, member.id, MemberStatus.LEFT, now)
        await conversations.clear(db, telegram_id)
        await audit.record(db, now=now, action="member.withdraw", branch_id=member.branch_id, actor_id=member.id,
                           subject=refs.member(member.id))
        await _tell_approvers(svc, db, member, Outgoing(template="join/withdrawn_notice.j2",
                                                        params={"name": member.name}))
    svc.wake_outbox()
    return member


async def _tell_approvers(svc: Services, db, member: Member, message: Outgoing) -> None:
    for person in await members.with_role(db, member.branch_id, APPROVER_ROLES):
        await notify.to_member(svc, db, person, message, kind="join.card")


async def pending_for(svc: Services, telegram_id: int) -> list[Member]:
    """/pending: the join requests of the approver's branch (none for someone who approves no joins)."""
    member = await membership.member_of(svc, telegram_id)
    if member is None or not member.is_approver:
        return []
    return await members.in_branch(svc.db, member.branch_id, [MemberStatus.PENDING])


async def decide_listed(svc: Services, telegram_id: int, member_id: int, approve: bool) -> membership.JoinDecision:
    """通过 / 拒绝 in /pending: as on the card (通过 links the roster row when the name is one unlinked row)."""
    candidate = await members.get(svc.db, member_id)
    if candidate is None:
        raise UserError("common/stale.j2")
    if approve and candidate.status is MemberStatus.PENDING and \
            len(await roster_store.unlinked_named(svc.db, candidate.branch_id, candidate.name)) == 1:
        return await linking.approve_as_roster(svc, telegram_id, member_id)
    return await membership.decide_join(svc, telegram_id, member_id, approve=approve)


async def _todos(svc: Services, member: Member, now: datetime) -> list[Button]:
    """An approver with join requests waiting: one button to /pending, where each has 通过 / 拒绝."""
    if not member.is_approver:
        return []
    waiting = await members.in_branch(svc.db, member.branch_id, [MemberStatus.PENDING])
    return [button("join/todo", commands_cb.open_command(Command.PENDING), count=len(waiting))] if waiting else []


FEATURE = Feature(name="join", todos=(_todos,))
