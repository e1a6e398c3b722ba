"""/start: greet a member, or begin joining a branch from an invite link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import ZhibuContext
from bot.services import membership
from handlers.telegram.common import guarded, reply
from handlers.telegram.menus import set_admin_menu, set_member_menu


@guarded
async def start(update: Update, context: ZhibuContext) -> None:
    """Greet a known member by name and role; a new person with a code is asked their name."""
    svc = context.svc
    user = update.effective_user
    member = await membership.member_of(svc, user.id)
    if member is not None and member.is_active and not member.reachable:
        # They blocked the bot (or never started it) and are back: restore their reminders.
        member = await membership.mark_reachable(svc, user.id) or member
    code = context.args[0] if context.args else None
    if member is not None:
        template = "start/pending.j2" if not member.is_active else "start/welcome.j2"
        if member.is_active:
            await set_member_menu(context.bot, svc, member, user.id in svc.settings.admins)
        await reply(update, context, template, member=member)
        return
    if code is None:
        if user.id in svc.settings.admins:
            await set_admin_menu(context.bot, user.id)
        await reply(update, context, "start/stranger.j2", is_admin=user.id in svc.settings.admins)
        return
    branch = await membership.begin_join(svc, user.id, code)
    await reply(update, context, "join/ask_name.j2", branch=branch.name)


def handlers() -> list:
    return [CommandHandler("start", start)]
