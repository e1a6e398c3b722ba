"""Button labels are templates (templates/<feature>/buttons.j2), rendered through bot.render.label."""

import ast
import inspect
from pathlib import Path

import pytest

from bot.render import TEMPLATE_DIR, environment, label

ROOT = Path(__file__).resolve().parents[2]
LABEL_FILES = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("buttons.j2"))


def _macros() -> list[tuple[str, list[str]]]:
    found = []
    for name in LABEL_FILES:
        module = environment().get_template(name).module
        folder = name.rsplit("/", 1)[0]
        for attr in dir(module):
            macro = getattr(module, attr)
            if callable(macro) and hasattr(macro, "arguments"):
                found.append((f"{folder}/{attr}", list(macro.arguments)))
    return found


MACROS = _macros()


@pytest.mark.parametrize(("name", "arguments"), MACROS, ids=[m[0] for m in MACROS])
def test_every_label_renders(name, arguments):
    """Each label renders to one short line of plain text, with user values shown as typed (no HTML escapes)."""
    for value in ("王 & <b>", 12, None, True, False):
        text = label(name, **{argument: value for argument in arguments})
        assert text and "\n" not in text and len(text) <= 64
        if "王" in text:
            assert "王 & <b>" in text


def test_every_label_a_button_names_exists():
    """Every button(...) in bot/ and handlers/ names a label macro that exists, so a typo fails here, not in chat."""
    known = {name for name, _ in MACROS}
    used = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "button" and node.args:
                    first = node.args[0]
                    assert isinstance(first, ast.Constant), f"{path}:{node.lineno}"
                    used.add(first.value)
    assert used and used <= known, used - known


def test_label_is_what_the_button_carries():
    """The Button built by bot.outgoing.button carries the rendered label and the codec's data."""
    from bot.callbacks import meetings
    from bot.outgoing import button

    built = button("meetings/person", meetings.proxy_checkin(1, 2), name="王 & 李")
    assert (built.label, built.data) == ("王 & 李", "mt:px:1:2")
    assert inspect.signature(label).parameters["name"].kind is inspect.Parameter.POSITIONAL_ONLY
