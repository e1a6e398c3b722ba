"""Words and short phrases the code puts into values, file names and charts are templates too
(templates/<feature>/words.j2, rendered through bot.render.word)."""

import ast
import re
from pathlib import Path

import pytest

from bot.render import TEMPLATE_DIR, environment, word
from tests.support import source_nodes

ROOT = Path(__file__).resolve().parents[2]
WORD_FILES = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("words.j2"))


def _macros() -> list[tuple[str, list[str]]]:
    found = []
    for name in WORD_FILES:
        module = environment().get_template(name).module
        folder = name.rsplit("/", 1)[0]
        found += [(f"{folder}/{attr}", list(getattr(module, attr).arguments)) for attr in dir(module)
                  if hasattr(getattr(module, attr), "arguments")]
    return found


MACROS = _macros()
LISTS = {"units", "communities"}  # arguments that take a list of names


@pytest.mark.parametrize(("name", "arguments"), MACROS, ids=[m[0] for m in MACROS])
def test_every_word_renders_as_chinese(name, arguments):
    """Each phrase, given Chinese values and numbers, is one line of Chinese with the values as typed: no English
    word, internal code or HTML escape of its own."""
    for value in ("王 & 李", 3):
        text = word(name, **{argument: [value, value] if argument in LISTS else value for argument in arguments})
        assert text and "\n" not in text
        assert not re.search(r"[A-Za-z]", text.replace("王 & 李", "").replace(".docx", "").replace(".xlsx", ""))


def test_every_word_the_code_names_exists():
    """Every word(...) in bot/ and handlers/ names a macro that exists, so a typo fails here, not in chat."""
    known = {name for name, _ in MACROS}
    used = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in source_nodes(path):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "word" and node.args:
                    first = node.args[0]
                    assert isinstance(first, ast.Constant), f"{path}:{node.lineno}"
                    used.add(first.value)
    assert used and used <= known, used - known


def test_a_field_or_section_named_by_code_reads_in_chinese():
    """The shared field names and the digest's titles turn codes into words; an unknown value is shown as given."""
    assert word("common/field", field="leave_reason") == "请假理由"
    assert word("common/field", field="会议主题") == "会议主题"
    assert word("branch_settings/field", field="quiet_start") == "免打扰开始"
    assert environment().get_template("digest/digest.j2").render(
        branch="第一党支部", sections=[("makeups_overdue", ["李红梅"])]).count("补课逾期") == 1


# Words people type that the code reads (not what it shows): dates typed as 2026年12月, the venue step's 不核验, a
# pasted notice's title, the words that ask /attendance and /overview for a chart, and the punctuation a typed phrase
# may end with (the phrases themselves are the words of a bot.features.Phrase, read below).
READ_NOT_SHOWN = {("bot/services/meetings/records.py", "年"), ("bot/services/meetings/records.py", "月"),
                  ("bot/services/themeday.py", "年"), ("bot/services/themeday.py", "月"),
                  ("bot/services/themeday.py", "不核验"), ("handlers/calendars.py", "节假日安排"),
                  ("handlers/overview.py", "图表"), ("handlers/overview.py", "图"),
                  ("handlers/forms.py", "。.!！~～")}
CHINESE = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def _docstrings(nodes: tuple[ast.AST, ...]) -> set[int]:
    """Docstrings, and the `doc` of a button in a handler's press table (handlers/telegram/presses.py)."""
    found = {id(node.body[0].value) for node in nodes
             if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
             and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in nodes:
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Press":
            docs = [k.value for k in node.keywords if k.arg == "doc"] + node.args[4:5]
            found.update(id(doc) for doc in docs if isinstance(doc, ast.Constant))
    return found


def _typed_phrases(nodes: tuple[ast.AST, ...]) -> set[int]:
    """The words of a Phrase(...) ("签到", "请假"): what people type, which the code reads and never shows."""
    return {id(leaf) for node in nodes
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Phrase" and node.args
            for leaf in ast.walk(node.args[0]) if isinstance(leaf, ast.Constant)}


def test_use_cases_and_handlers_spell_no_text_themselves():
    """Nothing in bot/services/ or handlers/ writes Chinese a person reads: it is all in templates/ (docstrings,
    comments and the words people type, which the code reads, aside)."""
    found = []
    for folder in ("bot/services", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            nodes = source_nodes(path)
            skip = _docstrings(nodes) | _typed_phrases(nodes)
            for node in nodes:
                if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                        and CHINESE.search(node.value) and (name, node.value) not in READ_NOT_SHOWN):
                    found.append(f"{name}:{node.lineno}: {node.value[:30]}")
    assert not found
