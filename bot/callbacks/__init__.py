"""Callback data, one codec per feature: what a button sends back when pressed, built and parsed in one place.

The wire format is `prefix:action:field:…` (e.g. `mt:ci:42`), at most 64 bytes (Telegram's limit). Each feature
module declares its actions once; services build buttons with them, handlers register with their `pattern` and
read the pressed data back with `parse`, which gives typed values or None for anything malformed. The data is an
opaque key: whatever it says, the use case re-checks who pressed it and what they may do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

MAX_BYTES = 64  # Telegram refuses longer callback_data

# Ids are positive and fit SQLite's INTEGER; anything else is not ours.
_INT = r"\d{1,15}"
_TEXT = r"[A-Za-z0-9_]{1,32}"


def _field_regex(kind: type) -> str:
    if kind is int:
        return _INT
    if kind is str:
        return _TEXT
    if issubclass(kind, Enum):
        return "|".join(re.escape(str(member.value)) for member in kind)
    raise TypeError(f"no callback field of type {kind!r}")


@dataclass(frozen=True)
class Action:
    """One kind of button of one feature: `Action("mt", "ci", int)` is `mt:ci:<meeting id>`."""

    prefix: str
    code: str
    fields: tuple[type, ...] = ()
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __init__(self, prefix: str, code: str, *fields: type) -> None:
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "fields", fields)
        parts = [re.escape(prefix), re.escape(code)] + [f"({_field_regex(kind)})" for kind in fields]
        object.__setattr__(self, "pattern", re.compile("^" + ":".join(parts) + "$"))

    def __call__(self, *values: Any) -> str:
        """The data for a button; a wrong number or kind of values, or data over 64 bytes, is a programming error."""
        if len(values) != len(self.fields):
            raise ValueError(f"{self.prefix}:{self.code} takes {len(self.fields)} values, got {values!r}")
        texts = [self.prefix, self.code] + [_text(kind, value) for kind, value in zip(self.fields, values, strict=True)]
        data = ":".join(texts)
        if self.pattern.match(data) is None or len(data.encode()) > MAX_BYTES:
            raise ValueError(f"not valid callback data: {data!r}")
        return data

    def parse(self, data: str | None) -> tuple[Any, ...] | None:
        """The typed fields of pressed data, or None when it is not this action's (stale, forged, malformed)."""
        found = self.pattern.match(data or "")
        if found is None:
            return None
        return tuple(kind(text) if kind is not str else text for kind, text in zip(self.fields, found.groups(), strict=True))


def _text(kind: type, value: Any) -> str:
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"expected an id, got {value!r}")
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def actions_of(module: Any) -> list[Action]:
    """Every action a codec module declares (for tests and registration checks)."""
    return [value for value in vars(module).values() if isinstance(value, Action)]
