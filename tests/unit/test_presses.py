"""The press tables: every button a feature registers is served once, each press says what it does, and no press
handler checks the chat itself (`guarded` refuses every press in a group before any handler runs)."""

from __future__ import annotations

import ast
from pathlib import Path

from telegram.ext import CallbackQueryHandler

from bot.app import features
from tests.support import source_nodes

ROOT = Path(__file__).resolve().parents[2]


def _press_handlers() -> list[CallbackQueryHandler]:
    return [h for f in features() if f.chat for h in f.chat.handlers() if isinstance(h, CallbackQueryHandler)]


def test_each_action_is_served_by_one_handler_with_a_docstring():
    """No callback pattern is registered twice (the first would silently win), and every press handler — from a
    table or written out — carries the one line that says what the button does."""
    handlers = _press_handlers()
    patterns = [h.pattern.pattern for h in handlers]
    assert len(handlers) > 100 and len(patterns) == len(set(patterns))
    undocumented = [h.callback.__name__ for h in handlers if not (h.callback.__doc__ or "").strip()]
    assert not undocumented


def test_no_press_checks_the_chat_itself():
    """require_private is for typed commands only: no function registered for a press calls it."""
    offenders = []
    for path in sorted((ROOT / "handlers").glob("*.py")):
        for node in source_nodes(path):
            if isinstance(node, ast.AsyncFunctionDef) and node.name.endswith("_pressed"):
                calls = {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
                if "require_private" in calls:
                    offenders.append(f"{path.name}:{node.name}")
    assert not offenders
