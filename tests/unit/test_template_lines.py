"""No line of a message is glued to the next: the environment trims the line break after a block tag, so a line
with text before a trailing block tag, followed by a line of text, would run into it — unless the tag says which it
means (`+%}` keeps the break, `-%}` drops it on purpose)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render import render

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# a block tag ending the line (an include brings its own lines)
_TRAILING_TAG = re.compile(r"\{%(?!-?\s*include)[^%]*?%\}$")
_TAGS = re.compile(r"\{%.*?%\}|\{#.*?#\}")


def _glued_lines() -> list[str]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        if path.name == "buttons.j2":
            continue  # one-line label macros
        lines = path.read_text(encoding="utf-8").split("\n")
        for number, (line, following) in enumerate(zip(lines, lines[1:], strict=False), start=1):
            text_before = _TAGS.sub("", line).strip()
            trailing = _TRAILING_TAG.search(line.rstrip())
            # the next line is text, or closes a loop whose next round would start on this line
            runs_on = (following.strip() and not following.lstrip().startswith(("{%", "{#"))) \
                or re.match(r"\s*\{%-?\s*endfor", following)
            if trailing and not trailing.group(0).endswith(("+%}", "-%}")) and text_before and runs_on:
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[-50:]}")
    return found


def test_no_line_runs_into_the_next():
    """Every line that ends in a block tag after some text, with text on the next line, keeps or drops its break on
    purpose."""
    assert _glued_lines() == []


_USUAL = {"why": None, "title": None, "unit": None, "branch": None, "label": "党费", "verb": "确认"}
_UP = {**_USUAL, "why": "nobody", "unit": "县委组织部", "branch": "第一党支部"}


@pytest.mark.parametrize(("standard", "routed", "lines"), [("", _USUAL, 2), ("12.50", _USUAL, 3), ("12.50", _UP, 5)])
def test_the_dues_card_keeps_its_lines(standard, routed, lines):
    """The collectors' card: the amount, why it came (when to an officer above), the branch, the mismatch (when
    there is one) and what to do, each on its own line."""
    text = render("dues/reported_card.j2", name="孙丽", month="2026年12月", yuan="10.00", standard=standard,
                  routed=routed)
    assert len(text.splitlines()) == lines and text.splitlines()[-1].startswith("收到后请点")
