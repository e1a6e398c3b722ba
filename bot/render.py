"""The one jinja2 Environment: every user-facing text is a template under templates/."""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

import templates
from bot.domain.calendar import WEEKDAYS

TEMPLATE_DIR = Path(templates.__file__).parent
# Templates are read once and kept: jinja2 would otherwise look at each file's modification time every time it is
# used (a stat per message). ZHIBU_TEMPLATE_RELOAD=1 brings that back, for editing templates while the bot runs.
RELOAD = os.environ.get("ZHIBU_TEMPLATE_RELOAD", "") == "1"


def _local(moment: datetime, tz: str = "Asia/Shanghai", fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(ZoneInfo(tz)).strftime(fmt)


def _weekday(moment: date) -> str:
    return "周" + WEEKDAYS[moment.weekday()]


def _day(value: object, weekday: bool = True) -> str:
    """A day as people write it: 10月7日（周四）; an ISO string (as a stored message keeps it) is read first, and
    anything else is shown as it is."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if not isinstance(day, date):
        return str(value)
    text = f"{day.month}月{day.day}日"
    return f"{text}（{_weekday(day)}）" if weekday else text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        # Messages go out with parse_mode=HTML: user text must be escaped.
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=RELOAD,
        cache_size=-1,  # every template stays compiled: there are over 400, jinja2 keeps 400 by default
    )
    env.filters["local"] = _local
    env.filters["weekday"] = _weekday
    env.filters["day"] = _day
    return env


def render(template: str, **params: Any) -> str:
    """Render a template to HTML-mode text, trimmed."""
    return environment().get_template(template).render(**params).strip()


def label(name: str, /, **params: Any) -> str:
    """A button's label: `label("meetings/checkin")` is the macro `checkin` of templates/meetings/buttons.j2.

    Labels are plain text (Telegram shows them as they are), so what autoescape did to the values is undone.
    The same label with the same values is made once (a roster page shows dozens of them)."""
    if RELOAD or not all(isinstance(v, _PLAIN) for v in params.values()):  # objects: made afresh each time
        return _make_label(name, params)
    return _label(name, tuple(params.items()))


# Values a label is cached by: compared by value, never by identity.
_PLAIN = (str, int, float, date, type(None))


@lru_cache(maxsize=4096)
def _label(name: str, params: tuple[tuple[str, Any], ...]) -> str:
    return _make_label(name, dict(params))


def _make_label(name: str, params: dict[str, Any]) -> str:
    folder, macro = name.rsplit("/", 1)
    module = environment().get_template(f"{folder}/buttons.j2").module
    return unescape(str(getattr(module, macro)(**params))).strip()


_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """A rendered (HTML) text without its tags: for toasts, and answers outside Telegram."""
    return unescape(_TAG.sub("", html))
