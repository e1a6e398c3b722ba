"""Telegram's HTML parse mode, checked as strictly as Telegram does, so a template bug fails in tests, not in a branch.

Telegram accepts a small set of tags and the entities &lt; &gt; &amp; &quot; and numeric ones; every other
`<` or `&` must be escaped. It measures the limit on the text left after parsing, in UTF-16 code units.
"""

from __future__ import annotations

import re
from html import unescape

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji",
    "code", "pre", "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)\s*>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")


class HtmlError(ValueError):
    """What Telegram answers with 400 "can't parse entities"."""


def to_plain(html: str) -> str:
    """The text a person sees; raises HtmlError where Telegram would refuse the message."""
    out: list[str] = []
    open_tags: list[str] = []
    pos = 0
    while pos < len(html):
        char = html[pos]
        if char == "<":
            match = _TAG.match(html, pos)
            if match is None:
                raise HtmlError(f"Can't parse entities: unexpected '<' at byte offset {pos}")
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in ALLOWED_TAGS:
                raise HtmlError(f'Can\'t parse entities: unsupported start tag "{name}" at byte offset {pos}')
            if closing:
                if not open_tags or open_tags[-1] != name:
                    raise HtmlError(f'Can\'t parse entities: can\'t find end tag corresponding to start tag "{name}"')
                open_tags.pop()
            else:
                if name == "a" and "href=" not in attrs:
                    raise HtmlError("Can't parse entities: <a> without href")
                open_tags.append(name)
            pos = match.end()
        elif char == "&":
            match = _ENTITY.match(html, pos)
            if match is None:
                raise HtmlError(f"Can't parse entities: unsupported entity at byte offset {pos}")
            out.append(unescape(match.group(0)))
            pos = match.end()
        elif char == ">":
            raise HtmlError(f"Can't parse entities: unexpected '>' at byte offset {pos}")
        else:
            out.append(char)
            pos += 1
    if open_tags:
        raise HtmlError(f'Can\'t parse entities: can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
