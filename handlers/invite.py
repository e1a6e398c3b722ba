"""/invite: the branch's deep link, and rotating or revoking it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import invite as cb
from bot.context import ZhibuContext
from bot.domain.models import Invitation
from bot.outgoing import Button, button
from bot.services import membership
from handlers.telegram.common import edit, guarded, on_press, reply, toast


def _rows() -> list[list[Button]]:
    return [[button("invite/rotate", cb.rotate()), button("invite/revoke", cb.revoke())]]


def _params(context: ZhibuContext, invitation: Invitation) -> dict:
    return {"link": membership.invite_link(context.svc.bot_username, invitation.code), "rotated": False}


@guarded
async def invite(update: Update, context: ZhibuContext) -> None:
    """Show the live invite link with rotate / revoke buttons."""
    invitation = await membership.current_invitation(context.svc, update.effective_user.id)
    await reply(update, context, "invite/link.j2", _rows(), **_params(context, invitation))


@guarded
async def rotate_pressed(update: Update, context: ZhibuContext) -> None:
    """换一个链接: the old link stops working, the new one is shown in place."""
    invitation = await membership.rotate_invitation(context.svc, update.effective_user.id)
    await toast(update, "invite_rotated")
    await edit(update, "invite/link.j2", _rows(), **{**_params(context, invitation), "rotated": True})


@guarded
async def revoke_pressed(update: Update, context: ZhibuContext) -> None:
    """停用链接: nobody can join through a link until a new one is made."""
    await membership.revoke_invitation(context.svc, update.effective_user.id)
    await toast(update, "invite_revoked")
    await edit(update, "invite/revoked.j2")


def handlers() -> list:
    return [CommandHandler("invite", invite), on_press(cb.rotate, rotate_pressed), on_press(cb.revoke, revoke_pressed)]
