"""Record keys, one codec per kind: outbox keys, schedule marks and the references stored with records (a
submission's or filing's `ref`, an audit entry's `subject`), built, scoped and parsed in one place.

A key is text like `meeting:42:remind-3d:member:7`. Stored keys are what keep planning idempotent (the same
reminder planned twice is one row) and what a send-time check reads back, so the text of every kind stays exactly
what it always was: a running county's pending rows keep their meaning across an upgrade. Each feature module
declares its kinds once (`Key("meeting:{meeting}:tally:to:{member}", meeting=int, member=int)`); services build
keys by calling them, ask for a scope (the prefix `outbox.converge` / `cancel_prefix` / `by_prefix` work on) with
`scope`, and read a stored key back with `parse` (None when it is not of this kind) or `read` (an error).
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_FIELD = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Field:
    """How one kind of value is written in a key: its pattern, its text, and the value read back."""

    pattern: str
    lead: str = ""  # text every value starts with: a scope that stops at this field ends with it

    def text(self, value: Any) -> str:
        return str(value)

    def value(self, text: str) -> Any:
        return text


class _Int(Field):
    def text(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an id, got {value!r}")
        return str(value)

    def value(self, text: str) -> int:
        return int(text)


class _Day(Field):
    def text(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    def value(self, text: str) -> date:
        return date.fromisoformat(text)


@dataclass(frozen=True)
class Stamp(Field):
    """A moment written with `fmt` as given (callers pass UTC times): `Stamp("%Y%m%d%H%M")` is 202612031530.
    Read back as the naive time it says."""

    fmt: str = ""

    def text(self, value: Any) -> str:
        return value.strftime(self.fmt)

    def value(self, text: str) -> datetime:
        return datetime.strptime(text, self.fmt)


_DIRECTIVES = {"%Y": r"\d{4}", "%m": r"\d{2}", "%d": r"\d{2}", "%H": r"\d{2}", "%M": r"\d{2}", "%S": r"\d{2}"}


def stamp(fmt: str) -> Stamp:
    parts = re.split(r"(%[YmdHMS])", fmt)
    return Stamp(pattern="".join(_DIRECTIVES.get(part) or re.escape(part) for part in parts), fmt=fmt)


def starting(lead: str) -> Field:
    """A name that starts with `lead` (remind-3d, remind-eve …): a scope stopping here covers every such name."""
    return Field(pattern=re.escape(lead) + r"[A-Za-z0-9_-]*", lead=lead)


def choice(*words: str) -> Field:
    """One of a few fixed words."""
    return Field(pattern="|".join(re.escape(w) for w in words))


INT = _Int(r"-?\d{1,20}")
TEXT = Field(r"[^:]+")  # one segment: no colon
FREE = Field(r".*?")  # any text, colons too (a value that is itself made of parts)
DAY = _Day(r"\d{4}-\d{2}-\d{2}")
HOUR = stamp("%Y-%m-%dT%H")
MINUTE = stamp("%Y%m%d%H%M")
SECOND = stamp("%Y%m%d%H%M%S")
_BY_TYPE = {int: INT, str: TEXT, date: DAY}


class Key:
    """One kind of key: `Key("meeting:{meeting}:tally:to:{member}", meeting=int, member=int)`.

    Calling it builds the key (values in the order of the shape, or by name); `scope` gives the prefix shared by
    every key of this kind with the values given (the text up to the first field not given, a dangling '-' left
    off: `remind-{when}` scopes as `remind`); `parse` reads a key back into its typed fields."""

    def __init__(self, shape: str, /, **fields: type | Field) -> None:
        self.shape = shape
        self.names = tuple(_FIELD.findall(shape))
        if sorted(self.names) != sorted(fields) or len(set(self.names)) != len(self.names):
            raise TypeError(f"{shape!r}: fields {self.names} but kinds given for {sorted(fields)}")
        self.fields = {name: _BY_TYPE[kind] if isinstance(kind, type) else kind for name, kind in fields.items()}
        self.literals = _FIELD.split(shape)[::2]  # the text before each field, and after the last
        self._in_order = tuple(self.fields[name] for name in self.names)
        regex = "".join(re.escape(text) + (f"({self.fields[name].pattern})" if name else "")
                        for text, name in zip(self.literals, [*self.names, None], strict=True))
        self.pattern = re.compile(f"^{regex}$")
        self.Parsed = namedtuple("Parsed", self.names)  # the typed fields parse gives: .meeting, .member …

    def __repr__(self) -> str:
        return f"Key({self.shape!r})"

    def _values(self, values: tuple, named: dict[str, Any], every: bool) -> dict[str, Any]:
        if len(values) > len(self.names):
            raise ValueError(f"{self.shape!r} takes {len(self.names)} values, got {values!r}")
        given = dict(zip(self.names, values, strict=False))
        unknown = set(named) - set(self.names)
        if unknown or set(given) & set(named):
            raise ValueError(f"{self.shape!r}: unknown or repeated fields {sorted(unknown or set(given) & set(named))}")
        given.update(named)
        if every and len(given) != len(self.names):
            raise ValueError(f"{self.shape!r} needs {self.names}, got {sorted(given)}")
        return given

    def __call__(self, *values: Any, **named: Any) -> str:
        """The key; a missing value, or one that would not read back (a colon in a one-segment field …), is a
        programming error."""
        if named or len(values) != len(self.names):  # by name, or a count the checks below will refuse
            given = self._values(values, named, every=True)
            values = tuple(given[name] for name in self.names)
        parts = [self.literals[0]]
        for field, value, text in zip(self._in_order, values, self.literals[1:], strict=True):
            parts += (field.text(value), text)
        key = "".join(parts)
        if self.pattern.match(key) is None:
            raise ValueError(f"not a valid {self.shape!r} key: {key!r}")
        return key

    def ending(self, *leading: Any) -> Callable[[int], str]:
        """The builder of this kind's keys with every value but the last given, for a kind whose shape ends with
        an id (`meeting:{meeting}:{moment}:member:{member}`): the given part is built and checked once, so planning
        a reminder for each of a meeting's members pays only for the member's id."""
        if len(leading) != len(self.names) - 1 or self._in_order[-1] is not INT or self.literals[-1]:
            raise ValueError(f"{self.shape!r} does not end with an id after the values {leading!r}")
        head = self(*leading, 0).removesuffix("0")
        return lambda value: head + INT.text(value)

    def scope(self, *values: Any, **named: Any) -> str:
        """The prefix of every key of this kind with these leading values: what converge and cancel_prefix take."""
        given = self._values(values, named, every=False)
        text = ""
        for literal, name in zip(self.literals, [*self.names, None], strict=True):
            text += literal
            if name is None:
                return text
            if name not in given:
                return text + self.fields[name].lead if self.fields[name].lead else text.removesuffix("-")
            text += self.fields[name].text(given[name])
        return text

    def parse(self, key: str | None) -> Any:
        """The typed fields of a key of this kind (`.meeting`, `.member` …), or None for any other text."""
        found = self.pattern.match(key or "")
        if found is None:
            return None
        texts = zip(self.names, found.groups(), strict=True)
        return self.Parsed(*(self.fields[name].value(text) for name, text in texts))

    def read(self, key: str) -> Any:
        """`parse` for a key that must be of this kind (a row's own key, a record's own ref): else ValueError."""
        parsed = self.parse(key)
        if parsed is None:
            raise ValueError(f"{key!r} is not a {self.shape!r} key")
        return parsed


def keys_of(module: Any) -> list[Key]:
    """Every kind a codec module declares (for tests)."""
    return [value for value in vars(module).values() if isinstance(value, Key)]
