"""/start: greet a member, or begin joining a branch from an invite link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import ZhibuContext
from bot.services import membership, units
from handlers import roster
from handlers.telegram.common import guarded, reply
from handlers.telegram.menus import set_member_menu, set_officer_menu


@guarded
async def start(update: Update, context: ZhibuContext) -> None:
    """Greet a known member by name and role; a new person with a code is asked their name."""
    svc = context.svc
    user = update.effective_user
    code = context.args[0] if context.args else None
    if code is not None and await roster.opened_personal_link(update, context, code):
        return
    member = await membership.member_of(svc, user.id)
    if member is not None and member.is_active and not member.reachable:
        # They blocked the bot (or never started it) and are back: restore their reminders.
        member = await membership.mark_reachable(svc, user.id) or member
    if member is not None:
        template = "start/pending.j2" if not member.is_active else "start/welcome.j2"
        if member.is_active:
            await set_member_menu(context.bot, svc, member, user.id in svc.settings.admins,
                                  await units.is_officer(svc, user.id))
        await reply(update, context, template, member=member)
        return
    if code is None:
        await _greet_stranger(update, context)
        return
    branch = await membership.begin_join(svc, user.id, code)
    await reply(update, context, "join/ask_name.j2", branch=branch.name)


async def _greet_stranger(update: Update, context: ZhibuContext) -> None:
    """Someone in no branch: how to join; an officer (or admin) also gets their menu and where to start."""
    svc, user = context.svc, update.effective_user
    is_admin, is_officer = user.id in svc.settings.admins, await units.is_officer(svc, user.id)
    is_inspector = await units.is_inspector(svc, user.id)
    if is_officer or is_inspector:
        await set_officer_menu(context.bot, user.id, is_admin, is_officer, is_inspector)
    await reply(update, context, "start/stranger.j2", is_admin=is_admin, is_officer=is_officer,
                is_inspector=is_inspector)


def handlers() -> list:
    return [CommandHandler("start", start)]
