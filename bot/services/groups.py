"""Linking a branch's Telegram group: notices and announcements may also be posted there, nothing private."""

from __future__ import annotations

from bot.domain.models import Branch
from bot.errors import UserError
from bot.keys import refs
from bot.services import Services, membership
from storage import audit, branches


async def link(svc: Services, telegram_id: int, chat_id: int) -> Branch:
    actor = await membership.approver(svc, telegram_id)
    other = await branches.by_group_chat(svc.db, chat_id)
    if other is not None and other.id != actor.branch_id:
        raise UserError("groups/taken.j2")
    now = svc.now()
    async with svc.db.write() as db:
        await branches.link_group(db, actor.branch_id, chat_id)
        await audit.record(db, now=now, action="group.link", branch_id=actor.branch_id, actor_id=actor.id,
                           subject=refs.chat(chat_id))
    return await branches.get(svc.db, actor.branch_id)


async def unlink(svc: Services, telegram_id: int, chat_id: int) -> Branch:
    actor = await membership.approver(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    if branch.group_chat_id != chat_id:
        raise UserError("groups/not_linked.j2")
    async with svc.db.write() as db:
        await branches.link_group(db, actor.branch_id, None)
        await audit.record(db, now=svc.now(), action="group.unlink", branch_id=actor.branch_id, actor_id=actor.id,
                           subject=refs.chat(chat_id))
    return branch


async def forget_chat(svc: Services, chat_id: int) -> None:
    """The bot was removed from a group: stop posting there."""
    branch = await branches.by_group_chat(svc.db, chat_id)
    if branch is None:
        return
    async with svc.db.write() as db:
        await branches.link_group(db, branch.id, None)
        await audit.record(db, now=svc.now(), action="group.lost", branch_id=branch.id, actor_id=None,
                           subject=refs.chat(chat_id))
