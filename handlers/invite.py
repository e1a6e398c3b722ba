"""/invite: the branch's deep link, and rotating or revoking it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.models import Invitation
from bot.outgoing import buttons
from bot.services import membership
from handlers.telegram.common import callback_parts, edit, guarded, reply, toast

_ROWS = buttons([("🔄 换一个链接", "inv:rot"), ("⛔ 停用链接", "inv:rev")])


def _params(context: ZhibuContext, invitation: Invitation) -> dict:
    return {"link": membership.invite_link(context.svc.bot_username, invitation.code), "rotated": False}


@guarded
async def invite(update: Update, context: ZhibuContext) -> None:
    """Show the live invite link with rotate / revoke buttons."""
    invitation = await membership.current_invitation(context.svc, update.effective_user.id)
    await reply(update, context, "invite/link.j2", _ROWS, **_params(context, invitation))


@guarded
async def manage(update: Update, context: ZhibuContext) -> None:
    """换一个链接 / 停用链接."""
    action = (callback_parts(update, "inv") + [""])[0]
    if action == "rot":
        invitation = await membership.rotate_invitation(context.svc, update.effective_user.id)
        await toast(update, "invite_rotated")
        await edit(update, "invite/link.j2", _ROWS, **{**_params(context, invitation), "rotated": True})
    elif action == "rev":
        await membership.revoke_invitation(context.svc, update.effective_user.id)
        await toast(update, "invite_revoked")
        await edit(update, "invite/revoked.j2")
    else:
        await update.callback_query.answer()


def handlers() -> list:
    return [CommandHandler("invite", invite), CallbackQueryHandler(manage, pattern=r"^inv:")]
