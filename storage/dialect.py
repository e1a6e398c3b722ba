"""The SQL that SQLite and PostgreSQL spell differently, in one place, with both spellings.

The repositories write portable SQL where both engines accept the same words — `INSERT … ON CONFLICT DO NOTHING`,
`IS [NOT] DISTINCT FROM`, `RETURNING`, `COUNT(*) FILTER (WHERE …)`, recursive CTEs, `?` parameters — and come here
for the rest. The helpers below give SQLite's spelling, so SQL built once at import runs on SQLite as written and
costs it nothing; `postgresql()` turns a statement into PostgreSQL's spelling when the PostgreSQL connection runs it
(storage/postgresql.py, cached per statement): `?` parameters become psycopg's `%s` (a literal `%` is doubled, and a
`?` inside a string or a comment is left alone), and what the helpers wrote becomes PostgreSQL's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Above every character the keys use (ids, dates and ASCII words; anything below U+FFFF would do), so every key that
# starts with a prefix sorts below `prefix + PREFIX_END` in code point order: SQLite's BINARY collation, and
# PostgreSQL's "C" (the key columns are declared COLLATE "C" there: storage/migrations/postgresql/).
PREFIX_END = "\uffff"

_EXPRESSION = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")
# What `joined` writes, exactly: group_concat(<column>, '<separator>').
_JOINED = re.compile(r"group_concat\(([A-Za-z_][A-Za-z0-9_.]*), '([^']*)'\)")


def joined(expression: str, separator: str = ",") -> str:
    """An aggregate of a group's values of `expression` (a column) as one text, `separator` between them, in no set
    order; NULL when the group has no values. (SQLite says group_concat; PostgreSQL says string_agg, which SQLite
    learnt only in 3.44.)"""
    if "'" in separator:
        raise ValueError("the separator is written into the SQL and may not contain a quote")
    if not _EXPRESSION.fullmatch(expression):
        raise ValueError(f"joined() takes a column, not {expression!r}")
    return f"group_concat({expression}, '{separator}')"


def starts_with(column: str) -> str:
    """A condition true when `column` starts with a prefix, given as the two parameters `prefix_bounds(prefix)`.

    A range, not `LIKE 'prefix%'`: an index on the column serves a range on either engine, while LIKE needs the
    pattern escaped and is case-blind for ASCII on SQLite; the columns it applies to hold keys, compared in code point
    order (on PostgreSQL such a column is declared COLLATE "C"). The same words on both engines."""
    return f"{column} >= ? AND {column} < ?"


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """The parameters of `starts_with`: [prefix, prefix + PREFIX_END), the keys starting with `prefix`."""
    return prefix, prefix + PREFIX_END


@lru_cache(maxsize=4096)
def postgresql(sql: str) -> str:
    """`sql` as psycopg runs it on PostgreSQL: `?` → `%s` outside strings, quoted names and comments; every `%`
    doubled (psycopg reads `%` everywhere, quotes or not); `joined`'s group_concat → string_agg."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c in ("'", '"'):
            end = sql.find(c, i + 1)
            while end != -1 and end + 1 < n and sql[end + 1] == c:  # '' or "" inside: an escaped quote
                end = sql.find(c, end + 2)
            end = n if end == -1 else end + 1
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end == -1 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        else:
            out.append("%s" if c == "?" else "%%" if c == "%" else c)
            i += 1
    text = _JOINED.sub(lambda m: f"string_agg(CAST({m.group(1)} AS TEXT), '{m.group(2)}')", "".join(out))
    return text.replace(_LOCKED_ROWS, "FOR UPDATE SKIP LOCKED")


_LOCKED_ROWS = "/* locked rows */"


def locked_rows() -> str:
    """Written after a SELECT that picks rows to claim: on PostgreSQL, the rows are locked and rows another
    transaction holds are passed over (FOR UPDATE SKIP LOCKED), so concurrent claims take different rows without
    waiting for each other; SQLite (one writer, no row locks) reads it as a comment."""
    return _LOCKED_ROWS


def contains(column: str) -> str:
    """A condition true when `column` holds the text given as the one parameter, anywhere in it (portable: both
    engines read `||`; a % or _ typed is a wildcard, which a search by name can bear)."""
    return f"{column} LIKE '%' || ? || '%'"
