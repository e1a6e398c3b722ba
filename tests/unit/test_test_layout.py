"""The tests' own shape: test modules share code through tests/support.py and the layers' helpers, never by
importing one another; the fast layers start no process. (Read as text: an import is a line of its own.)"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
FAST_LAYERS = ("unit", "storage", "services")
# `from tests.x.test_y import …`, `import tests.x.conftest`, `from tests.x import test_y` and the like.
IMPORTS_A_TEST = re.compile(r"^\s*(?:from|import)\s+tests\.[\w.]*\b(?:test_\w+|conftest)\b"
                            r"|^\s*from\s+tests\.[\w.]+\s+import\s+.*\b(?:test_\w+|conftest)\b", re.M)
# What starts a process: the module, asyncio's calls, the e2e harness's `zhibu` runner, the bench's process helper.
STARTS_A_PROCESS = re.compile(r"^\s*(?:import|from)\s+subprocess\b|create_subprocess_(?:exec|shell)|\.cli\("
                              r"|^\s*from\s+bot\.bench\s+import\s+.*\bprocess\b|bot\.bench\.process", re.M)


def _found(paths: list[Path], pattern: re.Pattern) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}: {match.group().strip()}"
            for path in paths for text in [path.read_text(encoding="utf-8")] for match in pattern.finditer(text)]


def test_no_test_module_imports_another_or_a_conftest():
    """A test module imports no test module and no conftest: what tests share lives in support modules."""
    assert not _found(sorted(TESTS.rglob("test_*.py")), IMPORTS_A_TEST)


def test_the_fast_layers_start_no_process():
    """Nothing in tests/unit, tests/storage or tests/services starts a process (tests/process is for that)."""
    paths = [path for layer in FAST_LAYERS for path in sorted((TESTS / layer).rglob("*.py"))
             if path != Path(__file__)]
    assert not _found(paths, STARTS_A_PROCESS)
