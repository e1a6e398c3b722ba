"""The command menu each person sees, set per chat with setMyCommands scopes."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.commands import commands_for
from bot.domain.models import Member
from bot.services import Services, membership, units

log = logging.getLogger(__name__)


def _commands(member: Member | None, is_admin: bool = False, is_officer: bool = False,
              is_inspector: bool = False) -> list[BotCommand]:
    return [BotCommand(c.command, c.description) for c in commands_for(member, is_admin, is_officer, is_inspector)]


async def set_default_menu(bot: object) -> None:
    """What a stranger sees: /start and /help."""
    await bot.set_my_commands(_commands(None), scope=BotCommandScopeAllPrivateChats())


async def set_officer_menu(bot: object, svc: Services, telegram_id: int, *, again: bool = False,
                           is_officer: bool = True, is_inspector: bool = False) -> None:
    """An officer's (or inspector's) menu: /units, /overview … (and the admins' commands, or an inspector's reading
    commands) in their own chat's menu, beside their member's commands when they are a branch's member too. Sent
    when it differs from the one they were last given (or `again`, on their /start); a failure (they never opened
    the bot) is logged and tried at the next start."""
    is_admin = telegram_id in svc.settings.admins
    member = await membership.member_of(svc, telegram_id)
    if member is not None and member.is_active:
        await set_member_menu(bot, svc, member, is_admin, is_officer)
        return
    commands = _commands(None, is_admin, is_officer, is_inspector)
    signature = ",".join(c.command for c in commands)
    if not again and await units.menu_given(svc, telegram_id, signature):
        return
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(telegram_id))
    except TelegramError:
        log.warning("could not set the command menu for officer %s", telegram_id, exc_info=True)
        return
    await units.remember_menu(svc, telegram_id, signature)


async def set_officer_menus(bot: object, svc: Services) -> None:
    """At start: every officer has their menu before they first write (not only after their /start)."""
    for telegram_id in await units.every_officer(svc):
        await set_officer_menu(bot, svc, telegram_id)


async def set_member_menu(bot: object, svc: Services, member: Member, is_admin: bool = False,
                          is_officer: bool = False) -> None:
    """A member's own menu; called when they join, change role or leave, and on /start. It is sent only when it
    differs from the one they were last given (kept in the database), so /start costs no extra call and an
    upgrade that adds commands reaches each member at their next /start. A failure never blocks the action."""
    if member.telegram_id is None:
        return
    shown = member if member.is_active else None
    # An admin's menu keeps /countytheme whichever path (join, role change, /start) re-sets it.
    commands = _commands(shown, is_admin or member.telegram_id in svc.settings.admins, is_officer)
    signature = ",".join(c.command for c in commands)
    if member.menu == signature:
        return
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(member.telegram_id))
    except TelegramError:
        log.warning("could not set the command menu for member %s", member.id, exc_info=True)
        return
    await membership.remember_menu(svc, member, signature)
