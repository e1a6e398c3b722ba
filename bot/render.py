"""The one jinja2 Environment: every user-facing text is a template under templates/."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

import templates
from bot.domain import dates
from bot.domain.dues import yuan

if TYPE_CHECKING:
    from bot.outgoing import Button

TEMPLATE_DIR = Path(templates.__file__).parent


def _day(value: object, weekday: bool = True) -> str:
    """A day as people write it: 10月7日（周四）; an ISO string (as a stored message keeps it) is read first, and
    anything else is shown as it is."""
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if not isinstance(day, date):
        return str(value)
    return f"{dates.month_day(day)}（{dates.short_weekday(day)}）" if weekday else dates.month_day(day)


# Dates in templates, as bot.domain.dates writes them in code: {{ day | month_day }}, {{ at | moment(tz) }} …
DATE_FILTERS = ("month", "month_day", "full_day", "day_weekday", "full_day_weekday", "day_range", "numeric_day",
                "moment", "span", "numeric_moment", "short_numeric_day")


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
    )
    env.filters.update({name: getattr(dates, name) for name in DATE_FILTERS})
    env.filters["local"] = dates.stamp
    env.filters["weekday"] = dates.short_weekday
    env.filters["day"] = _day
    env.filters["yuan"] = yuan  # fen → "15.00": every amount of money is written one way, "15.00 元"
    return env


def render(template: str, **params: Any) -> str:
    """Render a template to HTML-mode text, trimmed."""
    return environment().get_template(template).render(**params).strip()


def button_label(button: Button) -> str:
    """What a button shows: its label macro rendered now, or the label an older outbox row was stored with."""
    return label(button.name, **button.params) if button.name else button.label or ""


def label(name: str, /, **params: Any) -> str:
    """A button's label: `label("meetings/checkin")` is the macro `checkin` of templates/meetings/buttons.j2.

    Labels are plain text (Telegram shows them as they are), so what autoescape did to the values is undone."""
    return _macro("buttons.j2", name, params)


def word(name: str, /, **params: Any) -> str:
    """A word or short phrase the code puts into a value, a file name or a chart (plain text):
    `word("branch_settings/days", n=3)` is the macro `days` of templates/branch_settings/words.j2."""
    return _macro("words.j2", name, params)


def _macro(file: str, name: str, params: dict[str, Any]) -> str:
    folder, macro = name.rsplit("/", 1)
    module = environment().get_template(f"{folder}/{file}").module
    return unescape(str(getattr(module, macro)(**params))).strip()


_TAG = re.compile(r"<[^>]+>")


def plain_text(html: str) -> str:
    """A rendered (HTML) text without its tags: for toasts, and answers outside Telegram."""
    return unescape(_TAG.sub("", html))
