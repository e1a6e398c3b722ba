"""Telegram refuses messages over 4,096 characters; long texts are split, at line breaks where possible.

The split is linear in the text's length (a file's 70-million-character cell once took minutes here) and keeps every
part valid HTML: a tag or an entity is never cut, and a tag open where a part ends is closed there and opened again
at the start of the next part. Lengths are counted as Telegram counts them (UTF-16 code units) on the HTML as
written, which is never less than what Telegram counts after parsing it.
"""

from __future__ import annotations

import re

TELEGRAM_LIMIT = 4096
_TOKEN = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]{1,10};|[^<&]+|[<&]")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)[^<>]*>")


def weight(text: str) -> int:
    """The length Telegram would count for `text` (UTF-16 code units: an emoji counts twice)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _Parts:
    """The parts made so far, the part being filled, and the tags open at its end."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[str] = []
        self.body: list[str] = []
        self.size = 0
        self.fresh = True  # the part holds nothing but the tags it reopened
        self.opened: list[tuple[str, str]] = []  # (name, start tag as written)

    def reserve(self, opened: list[tuple[str, str]] | None = None) -> int:
        """What closing the open tags will add to the part."""
        return sum(len(name) + 3 for name, _ in (self.opened if opened is None else opened))

    def flush(self) -> None:
        body = "".join(self.body)
        if not self.fresh and _TAG.sub("", body).strip():  # Telegram refuses a part with nothing to read
            self.done.append(body + "".join(f"</{name}>" for name, _ in reversed(self.opened)))
        reopened = "".join(tag for _, tag in self.opened)
        self.body, self.size, self.fresh = [reopened], weight(reopened), True

    def add(self, text: str, size: int, opened: list[tuple[str, str]] | None = None) -> None:
        self.body.append(text)
        self.size += size
        self.fresh = False
        if opened is not None:
            self.opened = opened

    def room(self) -> int:
        return self.limit - self.size - self.reserve()


def _after(opened: list[tuple[str, str]], tag: str) -> list[tuple[str, str]]:
    """The open tags after `tag` (a start tag opens, an end tag closes the innermost)."""
    found = _TAG.fullmatch(tag)
    if found is None:
        return opened
    if tag.startswith("</"):
        return opened[:-1]
    return [*opened, (found.group(1).lower(), tag)]


def _line_tags(line: str, opened: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for tag in _TAG.finditer(line):
        opened = _after(opened, tag.group(0))
    return opened


def _cut(parts: _Parts, line: str) -> None:
    """A line too long for one part, token by token: text runs are cut anywhere, tags and entities never."""
    for token in _TOKEN.finditer(line):
        text = token.group(0)
        if len(text) > 1 and text[0] in "<&":  # a tag or an entity: whole, in this part or the next
            opened = _after(parts.opened, text) if text[0] == "<" else parts.opened
            size = weight(text)
            if parts.size + size + parts.reserve(opened) > parts.limit and not parts.fresh:
                parts.flush()
                opened = _after(parts.opened, text) if text[0] == "<" else parts.opened
            parts.add(text, size, opened)
            continue
        start = 0
        while start < len(text):
            room = parts.room()
            take = min(max(room, 1), len(text) - start)
            piece = text[start : start + take]
            size = weight(piece)
            if size > room:
                take -= size - room  # each character counts at least once: this many fewer fit
                if take <= 0 and not parts.fresh:
                    parts.flush()
                    continue
                take = max(take, 1)
                piece = text[start : start + take]
                size = weight(piece)
            parts.add(piece, size)
            start += take
            if start < len(text):
                parts.flush()


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts of at most `limit` characters each, cut at line breaks where possible, each valid HTML."""
    if weight(text) <= limit:
        return [text]
    parts = _Parts(limit)
    for line in text.split("\n"):
        opened = _line_tags(line, parts.opened)
        size = weight(line) + (0 if parts.fresh else 1)
        if parts.size + size + parts.reserve(opened) > limit and not parts.fresh:
            parts.flush()
            size = weight(line)
        if parts.size + size + parts.reserve(opened) <= limit:
            parts.add(line if parts.fresh else "\n" + line, size, opened)
        else:  # longer than a part: cut inside the line
            _cut(parts, line)
    parts.flush()
    return parts.done
