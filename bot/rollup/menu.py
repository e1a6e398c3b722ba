"""The roll-up bot's command menu (setMyCommands), in Chinese, from templates/rollup/commands.json: its officers see
every command in their own chat; anyone else sees /start and /help (which say whose bot this is)."""

from __future__ import annotations

import json
from functools import lru_cache

from bot.render import TEMPLATE_DIR


@lru_cache(maxsize=1)
def _all() -> tuple[tuple[str, bool, str], ...]:
    raw = json.loads((TEMPLATE_DIR / "rollup" / "commands.json").read_text(encoding="utf-8"))
    return tuple((str(c["command"]), bool(c["officer"]), str(c["description"])) for c in raw)


def commands(officer: bool) -> list[tuple[str, str]]:
    """(command, description) in the menu's order: an officer's all of them, anyone else's the public ones."""
    return [(command, description) for command, only_officers, description in _all()
            if officer or not only_officers]
