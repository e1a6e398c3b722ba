"""Print every import cycle among the modules of bot/ and storage/ (the emulator aside) and exit 1 if there is one.

Two graphs are drawn from the source (nothing is imported):
- module level: the imports a module runs when it is loaded (its top level, `if`/`try` blocks included, but not
  `if TYPE_CHECKING:` blocks, which never run);
- function level: the same plus the imports inside functions and methods, which run when they are called and
  close a cycle as surely, only later.

`from a.b import c` is an edge to a.b.c when that is a module of ours, else to a.b. Every elementary cycle is
printed once, each edge with the file and line that makes it.

    python scripts/cycles.py [ROOT]
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("bot", "storage")
SKIP = ("bot.emulator",)
MAX_CYCLES = 200  # per graph: more than this means a tangle to be read as its components, not cycle by cycle


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    local: bool  # inside a function


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name = module_name(root, path)
            if not name.startswith(SKIP):
                found[name] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Each import statement that runs, and whether it sits inside a function."""

    def walk(node: ast.AST, local: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, local
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                yield from (pair for orelse in child.orelse for pair in walk_one(orelse, local))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                yield from walk(child, True)
            else:
                yield from walk(child, local)

    def walk_one(node: ast.AST, local: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, local
        else:
            yield from walk(node, local)

    yield from walk(tree, False)


def resolve(node: ast.Import | ast.ImportFrom, here: str, is_package: bool, known: set[str]) -> list[str]:
    """The modules of ours an import statement loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in known]
    base = node.module or ""
    if node.level:
        anchor = here.split(".") if is_package else here.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join(anchor + ([base] if base else []))
    targets = []
    for alias in node.names:
        full = f"{base}.{alias.name}"
        if full in known:
            targets.append(full)
        elif base in known:
            targets.append(base)
    return list(dict.fromkeys(targets))


def edges(root: Path) -> list[Edge]:
    modules = our_modules(root)
    known = set(modules)
    found = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node, local in imports_of(tree):
            for target in resolve(node, name, path.name == "__init__.py", known):
                if target != name:
                    found.append(Edge(name, target, node.lineno, local))
    return found


def elementary_cycles(graph: dict[str, dict[str, Edge]]) -> list[list[Edge]]:
    """Every elementary cycle once, each started at its smallest module: a depth-first search from each module
    over the larger ones of its strongly connected component (a cycle never leaves one)."""
    cycles: list[list[Edge]] = []
    for component in components(graph):
        if len(component) < 2:
            continue
        inside = {node: {t: e for t, e in graph.get(node, {}).items() if t in component} for node in component}
        for start in sorted(component):
            _search(inside, start, start, [], {start}, cycles)
    return cycles


def components(graph: dict[str, dict[str, Edge]]) -> list[set[str]]:
    """The strongly connected components (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            found.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _search(graph: dict[str, dict[str, Edge]], start: str, node: str, path: list[Edge], on_path: set[str],
            cycles: list[list[Edge]]) -> None:
    for target in sorted(graph.get(node, {})):
        if len(cycles) >= MAX_CYCLES:
            return
        edge = graph[node][target]
        if target == start:
            cycles.append([*path, edge])
        elif target > start and target not in on_path:
            _search(graph, start, target, [*path, edge], on_path | {target}, cycles)


def graph_of(found: list[Edge], with_local: bool) -> dict[str, dict[str, Edge]]:
    graph: dict[str, dict[str, Edge]] = {}
    for edge in found:
        if edge.local and not with_local:
            continue
        current = graph.setdefault(edge.source, {}).get(edge.target)
        # Prefer the top-level import of a pair as the one shown; among equals, the first line.
        if current is None or (current.local, current.line) > (edge.local, edge.line):
            graph[edge.source][edge.target] = edge
    return graph


def describe(cycle: list[Edge], modules: dict[str, Path], root: Path) -> str:
    lines = [" → ".join([cycle[0].source, *(e.target for e in cycle)])]
    for edge in cycle:
        where = modules[edge.source].relative_to(root)
        lines.append(f"    {where}:{edge.line} imports {edge.target}{' (in a function)' if edge.local else ''}")
    return "\n".join(lines)


def report(root: Path) -> tuple[str, int]:
    """The printout and the number of cycles found (module level and function level)."""
    modules = our_modules(root)
    found = edges(root)
    out, total = [], 0
    for title, with_local in (("module level", False), ("function level", True)):
        cycles = elementary_cycles(graph_of(found, with_local))
        if with_local:  # the function-level graph holds every module-level cycle too: show only the new ones
            top = {tuple(e.target for e in c) for c in elementary_cycles(graph_of(found, False))}
            cycles = [c for c in cycles if tuple(e.target for e in c) not in top]
        total += len(cycles)
        capped = " (stopped counting here)" if len(cycles) >= MAX_CYCLES else ""
        out.append(f"{title}: {len(cycles)} import cycle{'s' if len(cycles) != 1 else ''}{capped}")
        out.extend(describe(c, modules, root) for c in cycles)
    return "\n".join(out), total


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve() if len(argv) > 1 else Path(__file__).resolve().parents[1]
    text, total = report(root)
    print(text)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
