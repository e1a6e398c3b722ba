"""Several bots on one emulator: a city's county bots, each with its own token, as Telegram keeps them apart.

Each bot is an `Emulator` of its own (username, people's chats with it, pending updates, files, command menus and
flood limits), sharing the HTTP server of the first: requests are routed by the token in the URL. A person is the
same Telegram user for every bot, but their chat with one bot is not their chat with another.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.emulator.server import Emulator

TOKEN = re.compile(r"([0-9]{1,15}):[A-Za-z0-9_-]{1,64}")


def add_bot(server: Emulator, token: str, bot_username: str | None = None,
            bot_name: str | None = None) -> Emulator:
    """The bot with this token on `server`, made when new (its username defaults to bot<id>_bot)."""
    known = server.bots.get(token)
    if known is not None:
        return known
    match = TOKEN.fullmatch(token)
    if match is None:
        raise ValueError(f"not a bot token: {token!r} (expected digits:letters, e.g. 123456:ABC-def)")
    if any(int(other.split(":", 1)[0]) == int(match[1]) for other in server.bots):
        raise ValueError(f"another token already has bot id {match[1]}")
    from bot.emulator.server import Emulator

    bot = Emulator(token, bot_username or f"bot{match[1]}_bot", host=server.host, port=server.port,
                   rate_limit=server.flood is not None, bot_name=bot_name or server.bot_name, server=server)
    bot.webhook_via = server.webhook_via
    server.bots[token] = bot
    if server._changed is not None:  # the server runs: so does the new bot
        bot._changed = server._changed.get_loop().create_future()
    return bot


def bot_for(server: Emulator, token: str) -> Emulator | None:
    """The bot a request's token names: known, or made now when the server takes new tokens."""
    known = server.bots.get(token)
    if known is not None or not server.new_tokens or TOKEN.fullmatch(token) is None:
        return known
    try:
        return add_bot(server, token)
    except ValueError:  # the same bot id with another secret: Telegram answers such a token 401
        return None


def parse_tokens(specs: list[str]) -> list[tuple[str, str | None]]:
    """`--tokens` values: TOKEN or TOKEN=USERNAME, comma-separated or repeated."""
    found: list[tuple[str, str | None]] = []
    for spec in specs:
        for item in filter(None, (part.strip() for part in spec.split(","))):
            token, _, username = item.partition("=")
            if TOKEN.fullmatch(token) is None:
                raise ValueError(f"{item!r}: expected TOKEN or TOKEN=USERNAME, e.g. 700001:county-a=county_a_bot")
            found.append((token, username or None))
    return found
