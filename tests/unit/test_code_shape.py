"""The shape the code keeps: short handlers, small modules, no hand-built callback data."""

import ast
import re
from pathlib import Path

from tests.support import source_nodes

ROOT = Path(__file__).resolve().parents[2]
MAX_FUNCTION_LINES = 25
MAX_MODULE_LINES = 400


def _python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def test_every_function_under_handlers_is_short():
    """Handlers stay thin adapters: each function (decorators included) fits in 25 lines."""
    long = []
    for path in _python_files("handlers"):
        for node in source_nodes(path):
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


DUPLICATE_RUN = 5  # lines two handler functions may not share


def _own_lines(path: Path, root: Path) -> dict[str, list[str]]:
    """Each function's own code lines (nested functions' lines belong to them; docstring, blanks and comments left
    out), stripped, keyed by file, name and line."""
    source = path.read_text(encoding="utf-8").splitlines()
    functions = [node for node in ast.walk(ast.parse("\n".join(source)))
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    owner: dict[int, str] = {}
    for function in sorted(functions, key=lambda node: (node.end_lineno or 0) - node.lineno, reverse=True):
        body = function.body
        if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        for number in range(body[0].lineno, (function.end_lineno or 0) + 1):
            owner[number] = f"{path.relative_to(root)}:{function.lineno} {function.name}"
    lines: dict[str, list[str]] = {}
    for number, name in sorted(owner.items()):
        text = source[number - 1].strip()
        if text and not text.startswith("#"):
            lines.setdefault(name, []).append(text)
    return lines


def shared_runs(paths: list[Path], root: Path = ROOT, run: int = DUPLICATE_RUN) -> dict[tuple[str, ...], set[str]]:
    """Runs of `run` identical code lines that stand in more than one function."""
    places: dict[tuple[str, ...], set[str]] = {}
    for path in paths:
        for name, lines in _own_lines(path, root).items():
            for start in range(len(lines) - run + 1):
                places.setdefault(tuple(lines[start:start + run]), set()).add(name)
    return {lines: names for lines, names in places.items() if len(names) > 1}


def test_no_two_handlers_share_five_lines():
    """No two functions under handlers/ repeat the same five code lines: what presses and commands share lives in one
    helper (the press tables, handlers/telegram/common.py)."""
    assert not shared_runs(_python_files("handlers"))


def test_the_duplicate_check_finds_a_copied_handler(tmp_path):
    """The check above can fail: two functions with the same five lines are found."""
    body = "\n".join(f"    x{number} = {number}" for number in range(5))
    (tmp_path / "copied.py").write_text(f"def a():\n{body}\n\n\ndef b():\n    '''b'''\n{body}\n", encoding="utf-8")
    found = shared_runs([tmp_path / "copied.py"], root=tmp_path)
    assert [sorted(names) for names in found.values()] == [["copied.py:1 a", "copied.py:9 b"]]
