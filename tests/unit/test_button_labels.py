"""Button labels are templates (templates/<feature>/buttons.j2), rendered through bot.render.label."""

import ast
import inspect
from pathlib import Path

import jinja2

from bot.render import TEMPLATE_DIR, button_label, environment, label
from tests.support import each, source_nodes

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


def test_every_label_renders():
    """Each label renders to one short line of plain text, with user values shown as typed (no HTML escapes)."""
    each(MACROS, _renders, name=lambda macro: macro[0])


def _renders(macro: tuple[str, list[str]]) -> None:
    name, arguments = macro
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
            for node in source_nodes(path):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "button" and node.args:
                    first = node.args[0]
                    assert isinstance(first, ast.Constant), f"{path}:{node.lineno}"
                    used.add(first.value)
    assert used and used <= known, used - known


def test_label_is_what_the_button_carries():
    """The Button built by bot.outgoing.button shows its label macro rendered, and carries the codec's data."""
    from bot.callbacks import meetings
    from bot.outgoing import button

    built = button("meetings/person", meetings.proxy_checkin(1, 2), name="王 & 李")
    assert (button_label(built), built.data) == ("王 & 李", "mt:px:1:2")
    assert inspect.signature(label).parameters["name"].kind is inspect.Parameter.POSITIONAL_ONLY


def test_a_planned_label_follows_template_edits(monkeypatch):
    """A button stored with a planned reminder keeps the macro's name and values, not its text: sent after the
    template changed, it shows the new wording."""
    from bot.callbacks import meetings
    from bot.outgoing import Button, button

    stored = button("meetings/checkin", meetings.checkin(42)).model_dump_json()
    assert "签到" not in stored  # nothing rendered when planned
    edited = environment().overlay(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"meetings/buttons.j2": "{% macro checkin() %}📍 现在签到{% endmacro %}"}),
        environment().loader]))
    monkeypatch.setattr("bot.render.environment", lambda: edited)
    assert button_label(Button.model_validate_json(stored)) == "📍 现在签到"


def test_rows_stored_with_a_rendered_label_still_show_it():
    """Outbox rows planned before labels were named carry the text itself; they are sent with it unchanged."""
    from bot.outgoing import Button

    assert button_label(Button.model_validate({"label": "✅ 签到", "data": "mt:ci:1"})) == "✅ 签到"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in source_nodes(path):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_domain_and_outgoing_do_not_reach_the_templates():
    """bot/domain and bot/outgoing describe messages without rendering them: nothing they import, directly or
    through other modules of the project, is bot.render or jinja2."""
    seen, todo = set(), [p for p in (ROOT / "bot" / "domain").rglob("*.py")] + [ROOT / "bot" / "outgoing.py"]
    reached = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            reached.add(name)
            module = ROOT / (name.replace(".", "/") + ".py")
            package = ROOT / name.replace(".", "/") / "__init__.py"
            todo += [found for found in (module, package) if found.exists()]
    assert len(seen) > 10
    assert not {name for name in reached if name == "jinja2" or name.startswith(("jinja2.", "bot.render"))}
