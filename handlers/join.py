"""Joining: the name step of the join form and the approvers' 通过 / 驳回 card."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action
from bot.callbacks import join as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.services import membership
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.menus import set_member_menu


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The person answered with their real name."""
    if not update.message or not update.message.text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    request = await membership.submit_join_name(context.svc, update.effective_user.id, update.message.text,
                                                 conversation.data)
    await reply(update, context, "join/waiting.j2", name=request.member.name, branch=request.branch.name)


async def _decide(update: Update, context: ZhibuContext, action: Action, approve: bool) -> None:
    """Re-authorised here, whatever the button says; a second tap says it was already handled."""
    (member_id,) = pressed(update, action)
    decision = await membership.decide_join(context.svc, update.effective_user.id, member_id, approve=approve)
    await toast(update, "decided", already=decision.already)
    await edit(update, "join/decided_card.j2", member=decision.member, approved=decision.approved)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


@guarded
async def approve_pressed(update: Update, context: ZhibuContext) -> None:
    """通过 on a join card."""
    await _decide(update, context, cb.approve, approve=True)


@guarded
async def reject_pressed(update: Update, context: ZhibuContext) -> None:
    """驳回 on a join card."""
    await _decide(update, context, cb.reject, approve=False)


FORMS = (Form("join", name_step),)


def handlers() -> list:
    return [on_press(cb.approve, approve_pressed), on_press(cb.reject, reject_pressed)]
