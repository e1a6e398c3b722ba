"""The shape the code keeps: short handlers, small modules, no hand-built callback data."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 25
MAX_MODULE_LINES = 400


def _python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def test_every_function_under_handlers_is_short():
    """Handlers stay thin adapters: each function (decorators included) fits in 25 lines."""
    long = []
    for path in _python_files("handlers"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = min([node.lineno] + [d.lineno for d in node.decorator_list])
                if node.end_lineno - first + 1 > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.name} ({node.end_lineno - first + 1} lines)")
    assert not long


def test_no_module_is_over_400_lines():
    """Modules of bot/, handlers/ and storage/ stay small (the emulator, a test tool, is left out)."""
    long = []
    for path in _python_files("bot", "handlers", "storage"):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("bot/emulator/"):
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long.append(f"{name} ({lines} lines)")
    assert not long


def test_callback_data_comes_only_from_the_codecs():
    """No button data is spelled by hand and no handler splits pressed data itself: bot/callbacks/ does both."""
    hand_built = re.compile(r"""data=f?["']|callback_query\.data\.split|\.split\(":"\)\[1:\]""")
    found = [f"{path.relative_to(ROOT)}:{number}" for path in _python_files("bot", "handlers")
             if not path.relative_to(ROOT).as_posix().startswith(("bot/emulator/", "bot/callbacks/"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if hand_built.search(line)]
    assert not found
