"""The command menu each person sees, set per chat with setMyCommands scopes."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.commands import commands_for
from bot.domain.models import Member

log = logging.getLogger(__name__)


def _commands(member: Member | None, is_admin: bool = False) -> list[BotCommand]:
    return [BotCommand(c.command, c.description) for c in commands_for(member, is_admin)]


async def set_default_menu(bot: object) -> None:
    """What a stranger sees: /start and /help."""
    await bot.set_my_commands(_commands(None), scope=BotCommandScopeAllPrivateChats())


# The menu each chat was last given by this process: /start re-sends a member's menu only when it changed,
# instead of one more Bot API call on every /start. Telegram keeps menus across our restarts.
_last_menu: dict[tuple[int, int], tuple[str, ...]] = {}


async def set_member_menu(bot: object, member: Member, is_admin: bool = False) -> None:
    """A member's own menu; called when they join, change role or leave. A failure here never blocks the action."""
    if member.telegram_id is None:
        return
    shown = member if member.is_active else None
    commands = _commands(shown, is_admin)
    key = (bot.id, member.telegram_id)
    signature = tuple(c.command for c in commands)
    if _last_menu.get(key) == signature:
        return
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(member.telegram_id))
    except TelegramError:
        log.warning("could not set the command menu for member %s", member.id, exc_info=True)
        return
    _last_menu[key] = signature
