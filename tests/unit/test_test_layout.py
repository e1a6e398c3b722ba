"""The tests' own shape: test modules share code through tests/support.py and the layers' helpers, never by
importing one another; the fast layers start no process."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FAST_LAYERS = ("unit", "storage", "services")
# What starts a process: the module, asyncio's calls, the e2e harness's `zhibu` runner, the bench's process helper.
PROCESS_NAMES = {"subprocess", "create_subprocess_exec", "create_subprocess_shell", "cli", "bot.bench.process"}


def _test_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def _imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_no_test_module_imports_another_or_a_conftest():
    """A test module imports no test module and no conftest: what tests share lives in support modules."""
    found = [f"{path.relative_to(ROOT)} imports {name}" for path in _test_modules()
             for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
             if name.startswith("tests.") and any(part.startswith("test_") or part == "conftest"
                                                   for part in name.split(".")[1:])]
    assert not found


def test_the_fast_layers_start_no_process():
    """Nothing in tests/unit, tests/storage or tests/services starts a process (tests/process is for that)."""
    found = []
    for layer in FAST_LAYERS:
        for path in sorted((TESTS / layer).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            used = set(_imported(tree)) | {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
            found += [f"{path.relative_to(ROOT)}: {name}" for name in sorted(used & PROCESS_NAMES)]
    assert not found

