"""The layer rules of DESIGN.md, read from the source's imports (nothing is imported): which room may use which.

An import counts wherever it runs — at the top of a module or inside a function. Imports under
`if TYPE_CHECKING:` never run and are left out, as are imports of the module's own package. Each rule is a
(modules, forbidden) pair; a broken rule fails with file:line of every offending import."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import source_tree

ROOT = Path(__file__).resolve().parents[2]

# Imported inside a function on purpose: heavy (≈ 55 MB together) and rarely needed, so the running bot loads them
# only when a file or a chart is made (tests/process/test_lean_start.py). bot.charts imports matplotlib at its top.
LAZY_HEAVY = ("openpyxl", "docx", "matplotlib", "bot.charts", "storage.pg_database", "cn2an")


@dataclass(frozen=True)
class Import:
    """One import statement: the modules it may load (for `from a import b`, both a and a.b)."""

    where: str  # path:line
    names: tuple[str, ...]
    local: bool  # inside a function

    def hits(self, prefixes: tuple[str, ...]) -> bool:
        return any(named(name, prefixes) for name in self.names)

    def __str__(self) -> str:
        return f"{self.where} imports {self.names[-1]}"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, local: bool):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, local
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _walk(ast.Module(body=[other], type_ignores=[]), local)
        else:
            yield from _walk(child, local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))


def imports_of(path: Path, root: Path = ROOT) -> list[Import]:
    """The file's imports; each version of a file is read once per run (every rule reads the same files)."""
    stat = path.stat()
    return list(_imports_of(path, root, stat.st_mtime_ns, stat.st_size))


@functools.cache
def _imports_of(path: Path, root: Path, _mtime: int, _size: int) -> tuple[Import, ...]:
    found = []
    for node, local in _walk(source_tree(path), False):
        where = f"{path.relative_to(root)}:{node.lineno}"
        if isinstance(node, ast.Import):
            found += [Import(where, (alias.name,), local) for alias in node.names]
        elif node.level == 0 and node.module:  # relative imports stay inside their own package
            found += [Import(where, (node.module, f"{node.module}.{alias.name}"), local) for alias in node.names]
    return tuple(found)


def files(*places: str, root: Path = ROOT) -> list[Path]:
    paths = []
    for place in places:
        target = root / place
        paths += [target] if target.is_file() else sorted(target.rglob("*.py"))
    return paths


def named(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def offending(places: tuple[str, ...], forbidden: tuple[str, ...], root: Path = ROOT) -> list[str]:
    return sorted({str(i) for p in files(*places, root=root) for i in imports_of(p, root) if i.hits(forbidden)})


RULES = {
    "the domain is pure: no storage, use cases, rendering, Telegram or files": (
        ("bot/domain",),
        ("bot.services", "storage", "bot.render", "jinja2", "telegram", "aiosqlite", "bot.exports", "bot.documents",
         "handlers")),
    "document builders need only the domain": (
        ("bot/documents",),
        ("bot.services", "storage", "bot.exports", "bot.render", "telegram", "aiosqlite", "handlers", "httpx")),
    "use cases reach the database through storage and know no Telegram; exporters sit above them": (
        ("bot/services",), ("aiosqlite", "telegram", "handlers", "bot.exports")),
    "handlers use the use cases, never storage or the document builders": (
        ("handlers",), ("storage", "aiosqlite", "bot.documents", "bot.exports")),
    "the scheduler drains the outbox without the use cases (they come in through the registry)": (
        ("bot/scheduler.py",), ("bot.services", "handlers", "telegram")),
    "storage is the bottom: no use cases, documents or Telegram": (
        ("storage",), ("bot.services", "bot.exports", "bot.documents", "handlers", "telegram")),
}


@pytest.mark.parametrize("rule", list(RULES))
def test_layer_rule(rule):
    """Each layer imports only what its rule allows."""
    places, forbidden = RULES[rule]
    assert files(*places), f"nothing to check for: {rule}"
    assert offending(places, forbidden) == [], rule


def test_no_function_local_imports_in_services_or_storage_but_the_heavy_libraries():
    """Services and storage import at the top (a local import hides a dependency, or a cycle), except the heavy
    file and chart libraries, which are imported where a file or a chart is made."""
    local = sorted(str(i) for p in files("bot/services", "storage") for i in imports_of(p)
                   if i.local and not i.hits(LAZY_HEAVY))
    assert local == []


def test_the_heavy_libraries_are_only_imported_lazily_below_the_app():
    """openpyxl, python-docx, matplotlib and cn2an are never imported at the top of a module the bot loads at start
    (only bot/charts.py, which is itself imported lazily, holds matplotlib at its top)."""
    eager = sorted(str(i) for p in files("bot", "storage", "handlers") for i in imports_of(p)
                   if not i.local and i.hits(LAZY_HEAVY) and p != ROOT / "bot/charts.py"
                   and "bot/emulator" not in str(p) and "bot/bench" not in str(p))
    assert eager == []


def test_the_checker_sees_what_it_checks(tmp_path):
    """A planted module with a forbidden import at the top, one inside a function and one under TYPE_CHECKING: the
    first two are found, the third is not (it never runs)."""
    planted = tmp_path / "bot" / "domain" / "planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text("from typing import TYPE_CHECKING\nimport storage.db\nif TYPE_CHECKING:\n"
                       "    from bot.services import Services\ndef f():\n    from bot.render import render\n")
    domain, forbidden = RULES["the domain is pure: no storage, use cases, rendering, Telegram or files"]
    found = offending(domain, forbidden, root=tmp_path)
    assert found == ["bot/domain/planted.py:2 imports storage.db", "bot/domain/planted.py:6 imports bot.render.render"]
