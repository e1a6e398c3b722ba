import json

import jinja2
import pytest

from bot.commands import GROUPS
from bot.render import TEMPLATE_DIR, environment
from tests.support import each

TEMPLATES = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("*.j2"))


def test_every_template_compiles():
    """Each message template parses (a syntax error would only show when that message is sent)."""
    each(TEMPLATES, environment().get_template)


def test_command_list_is_valid():
    """The command list that feeds the menus and /help names each command once, with a known audience."""
    commands = json.loads((TEMPLATE_DIR / "help" / "commands.json").read_text(encoding="utf-8"))
    names = [c["command"] for c in commands]
    assert len(names) == len(set(names))
    known = {"all", "member", "committee", "approver", "admin", "officer", "inspector", "group_leader"}
    assert {c["who"] for c in commands} <= known and {a for c in commands for a in c.get("also", [])} <= known
    assert all(len(c["description"]) <= 256 and c["command"].islower() for c in commands)
    assert {c["group"] for c in commands} <= set(GROUPS)  # /help lists each under a heading it knows


def test_user_text_is_escaped():
    """A name with markup is shown as text, not as HTML (messages go out in HTML mode)."""
    from bot.render import render

    assert "&lt;b&gt;" in render("join/request_card.j2", name="<b>x</b>", branch="一支部")


def test_missing_value_is_an_error():
    """A template given too few values fails loudly instead of printing blanks."""
    from bot.render import render

    with pytest.raises(jinja2.UndefinedError):
        render("join/request_card.j2", branch="一支部")
