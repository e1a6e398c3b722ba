"""/invite: the branch's deep link, and rotating or revoking it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import invite as cb
from bot.context import ZhibuContext
from bot.domain.models import Invitation
from bot.outgoing import Button, button
from bot.services import membership
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses


def _rows() -> list[list[Button]]:
    return [[button("invite/rotate", cb.rotate()), button("invite/revoke", cb.revoke())]]


def _params(context: ZhibuContext, invitation: Invitation) -> dict:
    return {"link": membership.invite_link(context.svc.bot_username, invitation.code), "rotated": False}


@guarded
async def invite(update: Update, context: ZhibuContext) -> None:
    """Show the live invite link with rotate / revoke buttons."""
    invitation = await membership.current_invitation(context.svc, update.effective_user.id)
    await reply(update, context, "invite/link.j2", _rows(), **_params(context, invitation))


async def _rotated(update: Update, context: ZhibuContext, invitation: Invitation) -> None:
    await edit(update, "invite/link.j2", _rows(), **{**_params(context, invitation), "rotated": True})


PRESSES = (
    Press(cb.rotate, membership.rotate_invitation, "invite_rotated", _rotated,
          "换一个链接: the old link stops working, the new one is shown in place."),
    Press(cb.revoke, membership.revoke_invitation, "invite_revoked", edits("invite/revoked.j2"),
          "停用链接: nobody can join through a link until a new one is made."),
)


def handlers() -> list:
    return [CommandHandler("invite", invite), *presses(PRESSES)]
