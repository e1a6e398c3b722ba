"""scripts/cycles.py finds import cycles at module and function level, and bot/ and storage/ have none."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("cycles_script", ROOT / "scripts" / "cycles.py")
cycles = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = cycles  # dataclasses look their module up there
_spec.loader.exec_module(cycles)


def test_no_import_cycle_in_bot_or_storage():
    """Not at module level, and not through an import inside a function either (the emulator aside)."""
    text, found = cycles.report(ROOT)
    assert found == 0, text


def test_the_script_prints_each_cycle_with_its_lines(tmp_path):
    """A planted tree: a ↔ b at the top, b → c → b through a function, a TYPE_CHECKING import that closes no cycle,
    and an emulator module importing back that is left out; the script prints the two cycles and exits 1."""
    bot = tmp_path / "bot"
    (bot / "emulator").mkdir(parents=True)
    (tmp_path / "storage").mkdir()
    for path in ("bot/__init__.py", "bot/emulator/__init__.py", "storage/__init__.py"):
        (tmp_path / path).write_text("")
    (bot / "a.py").write_text("from bot import b\n")
    (bot / "b.py").write_text("import bot.a\n\n\ndef later():\n    from bot.c import thing\n")
    (bot / "c.py").write_text("from typing import TYPE_CHECKING\nfrom bot.b import later\n"
                              "if TYPE_CHECKING:\n    from bot import d\n")
    (bot / "d.py").write_text("from bot import c\nfrom bot.emulator import e\n")
    (bot / "emulator" / "e.py").write_text("from bot import d\n")
    text, found = cycles.report(tmp_path)
    assert found == 2
    assert text.splitlines() == [
        "module level: 1 import cycle",
        "bot.a → bot.b → bot.a",
        "    bot/a.py:1 imports bot.b",
        "    bot/b.py:1 imports bot.a",
        "function level: 1 import cycle",
        "bot.b → bot.c → bot.b",
        "    bot/b.py:5 imports bot.c (in a function)",
        "    bot/c.py:2 imports bot.b",
    ]
    assert cycles.main(["cycles.py", str(tmp_path)]) == 1
