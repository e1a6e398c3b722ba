"""Joining: the name step of the join form and the approvers' 通过 / 驳回 card."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import join as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.services import membership
from handlers.telegram.common import edit, reply
from handlers.telegram.menus import set_member_menu
from handlers.telegram.presses import Press, presses


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The person answered with their real name."""
    if not update.message or not update.message.text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    request = await membership.submit_join_name(context.svc, update.effective_user.id, update.message.text,
                                                 conversation.data)
    await reply(update, context, "join/waiting.j2", name=request.member.name, branch=request.branch.name)


async def _decided(update: Update, context: ZhibuContext, decision) -> None:
    """The card says how it was decided; an approved member's command menu is set."""
    await edit(update, "join/decided_card.j2", member=decision.member, approved=decision.approved)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


# Re-authorised in the use case, whatever the button says; a second tap says it was already handled.
PRESSES = tuple(
    Press(action, lambda svc, user_id, member_id, approve=approve: membership.decide_join(svc, user_id, member_id,
                                                                                         approve=approve),
          lambda decision: ("decided", {"already": decision.already}), _decided, doc)
    for action, approve, doc in ((cb.approve, True, "Approve a join card."), (cb.reject, False, "Reject a join card.")))


FORMS = (Form("join", name_step),)


def handlers() -> list:
    return presses(PRESSES)
