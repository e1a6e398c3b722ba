"""Joining: the name step of the join form and the approvers' 通过 / 驳回 card."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.services import membership
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.forms import register_form
from handlers.telegram.menus import set_member_menu


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The person answered with their real name."""
    if not update.message or not update.message.text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    request = await membership.submit_join_name(context.svc, update.effective_user.id, update.message.text,
                                                 conversation.data)
    await reply(update, context, "join/waiting.j2", name=request.member.name, branch=request.branch.name)


@guarded
async def decide(update: Update, context: ZhibuContext) -> None:
    """通过 / 驳回 on a join card — re-authorised here, whatever the button says."""
    action, member_id = (callback_parts(update, "join") + ["", ""])[:2]
    if action not in ("ok", "no"):
        raise UserError("common/stale.j2")
    decision = await membership.decide_join(context.svc, update.effective_user.id, int_or_stale(member_id),
                                            approve=action == "ok")
    await toast(update, "decided", already=decision.already)
    await edit(update, "join/decided_card.j2", member=decision.member, approved=decision.approved)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


register_form("join", name_step)


def handlers() -> list:
    return [CallbackQueryHandler(decide, pattern=r"^join:")]
