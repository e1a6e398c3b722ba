"""Every benchmark module imports: benchmarks are run by hand, so nothing else notices one left behind by a rename."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bot.bench

MODULES = sorted(name for _, name, _ in pkgutil.iter_modules(bot.bench.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_bench_module_imports(name):
    """`zhibu bench …` would fail with an ImportError before measuring anything."""
    assert importlib.import_module(f"bot.bench.{name}").__name__ == f"bot.bench.{name}"


def test_every_bench_is_found():
    """The modules the CLI offers are all among those imported above."""
    assert {"broadcast", "checkin", "drain", "startup", "updates"} <= set(MODULES)
