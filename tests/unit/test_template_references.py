"""Every template the code names exists and renders: found statically in the sources (literal names, toasts, digest
lines, names built from a pattern, button macros) and in the templates themselves (include, import, extends), so a
missing file fails here instead of in an officer's chat (notices/use_buttons.j2 once did)."""

from __future__ import annotations

import fnmatch
import functools
import re
from pathlib import Path

import jinja2
import pytest
from jinja2 import meta

from bot.render import TEMPLATE_DIR, environment
from tests.support import each

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(p for folder in ("bot", "handlers") for p in (ROOT / folder).rglob("*.py"))
TEXT = {p: p.read_text(encoding="utf-8") for p in SOURCES}
EXISTING = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("*.j2"))

_LITERAL = re.compile(r"""["']([a-z0-9_]+(?:/[a-z0-9_]+)+\.j2)["']""")
_TOAST = re.compile(r"""\btoast\(\s*\w+,\s*["']([a-z0-9_]+)["']""")
_DIGEST = re.compile(r"""\bdigest_line\(\s*["']([a-z0-9_]+)["']""")
_PATTERN = re.compile(r"""f["']([a-z0-9_/]*\{[^}"']+\}[a-z0-9_/{}]*)\.j2["']""")
_BUTTON = re.compile(r"""\b(?:button|label)\(\s*["']([a-z0-9_]+)/([a-z0-9_]+)["']""")


def referenced_names() -> set[str]:
    names: set[str] = set()
    for text in TEXT.values():
        names |= set(_LITERAL.findall(text))
        names |= {f"toasts/{n}.j2" for n in _TOAST.findall(text)}
        names |= {f"digest/{n}.j2" for n in _DIGEST.findall(text)}
    for name in EXISTING:  # what templates include or import from one another
        source = environment().loader.get_source(environment(), name)[0]
        names |= {n for n in meta.find_referenced_templates(environment().parse(source)) if n}
    return names


def patterns() -> set[str]:
    return {re.sub(r"\{[^}]*\}", "*", found) + ".j2" for text in TEXT.values() for found in _PATTERN.findall(text)}


class Anything(jinja2.ChainableUndefined):
    """Whatever a template asks of a value it was not given: empty, zero, callable, so every name renders."""

    def __call__(self, *args, **kwargs):
        return self

    def __index__(self) -> int:
        return 0

    __int__ = __index__

    def __float__(self) -> float:
        return 0.0

    def __add__(self, other):
        return self

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __floordiv__ = __mod__ = __add__

    def __lt__(self, other) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __format__(self, spec: str) -> str:
        return ""


@functools.cache
def lenient() -> jinja2.Environment:
    """The bot's environment where anything not given renders; one for the run, so each template (and what it
    includes) is compiled once, not once per test."""
    return environment().overlay(undefined=Anything)


@functools.cache
def referenced() -> list[str]:
    """The names found, sorted: worked out when a test asks, once (every template is parsed for them)."""
    return sorted(referenced_names())

# What a template includes by a value (a review card's body): one of the templates that value names.
DYNAMIC = {"body": "reports/card.j2"}


def test_the_sources_are_searched():
    """The scan finds what it is for: literal names, toasts, digest lines, patterns and button macros."""
    found = referenced()
    assert len(found) > 200 and "review/card_decided.j2" in found and "toasts/decided.j2" in found
    assert "digest/dues_unpaid.j2" in found and "evaluation/remind_*.j2" in patterns()


def test_every_named_template_exists_and_renders():
    """Every template the code or another template names is there, and renders (values not given stand empty)."""
    each(referenced(), _exists_and_renders)


def _exists_and_renders(name: str) -> None:
    assert name in EXISTING, f"{name} is named in the code but missing from templates/"
    assert isinstance(lenient().get_template(name).render(**DYNAMIC), str)


@pytest.mark.parametrize("pattern", sorted(patterns()))
def test_every_name_pattern_matches_templates(pattern):
    """A name built at run time (f"themeday/ask_{name}.j2") has templates to match."""
    assert fnmatch.filter(EXISTING, pattern), f"no template matches {pattern}"


def test_every_button_macro_exists():
    """button("folder/macro") and label("folder/macro") name a macro that folder's buttons.j2 defines."""
    used = {found for text in TEXT.values() for found in _BUTTON.findall(text)}
    assert len(used) > 50
    missing = [f"{folder}/{macro}" for folder, macro in sorted(used)
               if not hasattr(environment().get_template(f"{folder}/buttons.j2").module, macro)]
    assert not missing
