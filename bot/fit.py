"""A message that must stay one message (a card that is edited in place later) fitted to Telegram's 4,096
characters by shortening the long texts it shows — what people wrote — never the words around them.

The card then says it was shortened and offers the full text a tap away; see bot/services/review.py.
"""

from __future__ import annotations

from typing import Any

from bot.render import plain_text, render
from bot.textsplit import TELEGRAM_LIMIT, weight

LIMIT = TELEGRAM_LIMIT - 16  # a little room: Telegram trims and counts after parsing, as this does
CUT = "……"
SHORTEST = 20  # characters of each long text a shortened card still shows


def length(template: str, params: dict[str, Any]) -> int:
    """What Telegram counts of the rendered message (UTF-16 code units of the text after parsing)."""
    return weight(plain_text(render(template, **params)))


def shortened(value: Any, cap: int) -> Any:
    """`value` with every text longer than `cap` characters cut to `cap` and marked; lists and dicts throughout."""
    if isinstance(value, str):
        return value if len(value) <= cap else value[:cap].rstrip() + CUT
    if isinstance(value, dict):
        return {key: shortened(item, cap) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [shortened(item, cap) for item in value]
    return value


def _longest(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return max((_longest(v) for v in value.values()), default=0)
    if isinstance(value, (list, tuple)):
        return max((_longest(v) for v in value), default=0)
    return 0


def fit(template: str, params: dict[str, Any], key: str = "content") -> tuple[dict[str, Any], bool]:
    """(params, whether `params[key]` had to be shortened) so that `template` renders within one message. The cut
    is the longest that fits (a binary search over how much of each long text is kept), so short fields stay whole
    and a single long text keeps as much as the card has room for. The template is given `shortened` (True once
    cut) to say so."""
    params = {**params, "shortened": False}
    if length(template, params) <= LIMIT:
        return params, False
    params["shortened"] = True
    original = params[key]
    low, high = SHORTEST, max(_longest(original) - 1, SHORTEST)
    while low < high:  # the largest cap that fits
        middle = (low + high + 1) // 2
        if length(template, {**params, key: shortened(original, middle)}) <= LIMIT:
            low = middle
        else:
            high = middle - 1
    return {**params, key: shortened(original, low)}, True
