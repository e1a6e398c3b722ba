"""Telegram's HTML parse mode, checked the way Telegram's own parser (TDLib's parse_html) checks it, so a template
bug fails in tests, not in a branch; refused with the words Telegram uses ("Unmatched end tag at byte offset 17,
expected "</i>", found "</em>"").

Telegram accepts the tags b/strong, i/em, u/ins, s/strike/del, span class="tg-spoiler", tg-spoiler, a, tg-emoji,
code, pre and blockquote, closed in the order they were opened (`</>` closes the innermost one); the entities
&lt; &gt; &amp; &quot; (the semicolon optional) and numeric ones. It measures its limits on the text left after
parsing, in UTF-16 code units.

Three things Telegram lets through are refused here as well, because in zhibu's output they can only mean a value
was not escaped: a bare '&' that starts no entity (Telegram shows it as typed), a bare '>' and an <a> without href.
Those refusals say they are the emulator's own.
"""

from __future__ import annotations

import re

TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji",
    "code", "pre", "blockquote",
}
ALLOWED_TAGS = TAGS  # the name the rest of the emulator knew them by
_SPACE = " \t\r\n\v\0"
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")
_NUMERIC = re.compile(r"#(?:[xX]([0-9a-fA-F]+)|([0-9]+))")
_NAMED_ENTITY = re.compile(r"[A-Za-z]+")
_MARKUP = re.compile(r"[&<>]")  # where plain text stops: everything between is copied as one run
_SURROGATE = re.compile("[\ud800-\udfff]")
STRICT = "(refused by the emulator: Telegram would show it as typed, so the text was not escaped)"


class HtmlError(ValueError):
    """What Telegram answers with 400 "Bad Request: can't parse entities: …"."""


class _Text:
    """The HTML being parsed, with TDLib's view of its end (a NUL) and offsets in UTF-8 bytes."""

    def __init__(self, html: str) -> None:
        self.html = html

    def at(self, index: int) -> str:
        return self.html[index] if index < len(self.html) else "\0"

    def offset(self, index: int) -> int:
        return len(self.html[:index].encode("utf-8", "surrogatepass"))


def _entity(html: str, start: int) -> tuple[str, int] | None:
    """(the character, where the text goes on) for an HTML entity at `start` ('&'), or None where Telegram takes
    the '&' as a plain character."""
    numeric = _NUMERIC.match(html, start + 1)
    if numeric is not None:
        code = int(numeric.group(1), 16) if numeric.group(1) else int(numeric.group(2))
        if code == 0 or code > 0x10FFFF:
            return None
        end = numeric.end()
        char = chr(code)
    else:
        named = _NAMED_ENTITY.match(html, start + 1)
        if named is None or named.group(0) not in _NAMED:
            return None
        end, char = named.end(), _NAMED[named.group(0)]
    return char, end + 1 if end < len(html) and html[end] == ";" else end


def _start_tag(text: _Text, begin: int, opened: list[str]) -> int:
    """Read a start tag at `begin` ('<'); push its name; return where the text goes on."""
    i = begin + 1
    while text.at(i) not in _SPACE + ">":
        i += 1
    if i >= len(text.html):
        raise HtmlError(f"Unclosed start tag at byte offset {text.offset(begin)}")
    name = text.html[begin + 1 : i].lower()
    if name not in TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {text.offset(begin)}')
    attributes: dict[str, str] = {}
    while text.at(i) != ">":
        while i < len(text.html) and text.at(i) in _SPACE:
            i += 1
        if text.at(i) == ">":
            break
        if i >= len(text.html):
            raise HtmlError(f'Unclosed start tag "{name}" at byte offset {text.offset(begin)}')
        attribute_begin = i
        while text.at(i) not in _SPACE + "=>":
            i += 1
        attribute = text.html[attribute_begin:i]
        if not attribute:
            raise HtmlError(f'Empty attribute name in the tag "{name}" at byte offset {text.offset(begin)}')
        while i < len(text.html) and text.at(i) in _SPACE:
            i += 1
        if text.at(i) != "=":
            attributes[attribute] = ""
            continue
        i += 1
        while i < len(text.html) and text.at(i) in _SPACE:
            i += 1
        if i >= len(text.html):
            raise HtmlError(f'Unclosed start tag "{name}" at byte offset {text.offset(begin)}')
        i, attributes[attribute] = _attribute_value(text, i)
        if i >= len(text.html):
            raise HtmlError(f"Unclosed start tag at byte offset {text.offset(begin)}")
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {text.offset(begin)}')
    if name == "a" and not attributes.get("href"):
        raise HtmlError(f"An <a> without href at byte offset {text.offset(begin)} {STRICT}")
    opened.append(name)
    return i + 1


def _attribute_value(text: _Text, i: int) -> tuple[int, str]:
    """(where the tag goes on, the value) of an attribute value at `i`: a quoted string or a name token."""
    quote = text.at(i)
    if quote not in "'\"":
        token = _NAME_TOKEN.match(text.html, i)
        end = token.end()
        if text.at(end) not in _SPACE + ">":
            raise HtmlError(f"Unexpected end of name token at byte offset {text.offset(i)}")
        return end, token.group(0).lower()
    i += 1
    value: list[str] = []
    while i < len(text.html) and text.html[i] != quote:
        decoded = _entity(text.html, i) if text.html[i] == "&" else None
        if decoded is not None:
            value.append(decoded[0])
            i = decoded[1]
        else:
            value.append(text.html[i])
            i += 1
    return (i + 1 if i < len(text.html) else i), "".join(value)


def _end_tag(text: _Text, begin: int, opened: list[str]) -> int:
    """Read an end tag at `begin` ('</'), closing the innermost open tag; return where the text goes on."""
    if not opened:
        raise HtmlError(f"Unexpected end tag at byte offset {text.offset(begin)}")
    i = begin + 2
    while text.at(i) not in _SPACE + ">":
        i += 1
    name = text.html[begin + 2 : i]
    while i < len(text.html) and text.at(i) in _SPACE:
        i += 1
    if text.at(i) != ">":
        raise HtmlError(f"Unclosed end tag at byte offset {text.offset(begin)}")
    expected = opened.pop()
    if name and name != expected:
        raise HtmlError(f'Unmatched end tag at byte offset {text.offset(begin)}, expected "</{expected}>", '
                        f'found "</{name}>"')
    return i + 1


def to_plain(html: str) -> str:
    """The text a person sees; raises HtmlError where Telegram would refuse the message."""
    text, out, opened = _Text(html), [], []
    i = 0
    while i < len(html):
        char = html[i]
        if char == "&":
            decoded = _entity(html, i)
            if decoded is None:
                raise HtmlError(f"Unescaped '&' at byte offset {text.offset(i)} {STRICT}")
            out.append(decoded[0])
            i = decoded[1]
        elif char == "<":
            i = _end_tag(text, i, opened) if text.at(i + 1) == "/" else _start_tag(text, i, opened)
        elif char == ">":
            raise HtmlError(f"Unescaped '>' at byte offset {text.offset(i)} {STRICT}")
        else:
            found = _MARKUP.search(html, i)
            stop = found.start() if found is not None else len(html)
            out.append(html[i:stop])
            i = stop
    if opened:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{opened[-1]}"')
    plain = "".join(out)
    if _SURROGATE.search(plain):
        raise HtmlError("Text contains invalid Unicode characters after decoding HTML entities, check for "
                        "unmatched surrogate code units")
    return plain


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
