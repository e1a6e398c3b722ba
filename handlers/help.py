"""/help: what this person can do, for their role."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.commands import commands_for
from bot.context import ZhibuContext
from bot.services import membership, units
from handlers.telegram.common import guarded, reply


@guarded
async def help_command(update: Update, context: ZhibuContext) -> None:
    """List the commands this person's role allows, with one line each."""
    user = update.effective_user
    member = await membership.member_of(context.svc, user.id)
    is_admin = user.id in context.svc.settings.admins
    is_officer = await units.is_officer(context.svc, user.id)
    shown = commands_for(member, is_admin, is_officer, await units.is_inspector(context.svc, user.id))
    await reply(update, context, "help/help.j2", member=member, commands=shown)


def handlers() -> list:
    return [CommandHandler("help", help_command)]
