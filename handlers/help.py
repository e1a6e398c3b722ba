"""/help: what this person can do, for their role."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.commands import commands_for, grouped
from bot.context import ZhibuContext
from bot.services import membership, units
from handlers.telegram.common import guarded, reply


@guarded
async def help_command(update: Update, context: ZhibuContext) -> None:
    """List the commands this person's role allows, one line each, under headings by what they are for."""
    user = update.effective_user
    member = await membership.member_of(context.svc, user.id)
    is_admin = user.id in context.svc.settings.admins
    is_officer = await units.is_officer(context.svc, user.id)
    is_inspector = await units.is_inspector(context.svc, user.id)
    shown = commands_for(member, is_admin, is_officer, is_inspector)
    await reply(update, context, "help/help.j2", member=member, is_officer=is_officer, is_admin=is_admin,
                is_inspector=is_inspector, groups=grouped(shown))


def handlers() -> list:
    return [CommandHandler("help", help_command)]
