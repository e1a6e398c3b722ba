"""The SQL that SQLite and PostgreSQL spell differently, in one place; today in SQLite's spelling.

The repositories write portable SQL where both engines accept the same words — `INSERT … ON CONFLICT DO NOTHING`,
`IS [NOT] DISTINCT FROM`, `RETURNING`, `COUNT(*) FILTER (WHERE …)`, recursive CTEs, `?` parameters — and come here
for the rest. A second engine gives these helpers its own spelling; the call sites stay as they are.
"""

from __future__ import annotations

# Above every character the keys use (ids, dates and ASCII words; anything below U+FFFF would do), so every key that
# starts with a prefix sorts below `prefix + PREFIX_END` in code point order: SQLite's BINARY collation, and
# PostgreSQL's "C".
PREFIX_END = "\uffff"


def joined(expression: str, separator: str = ",") -> str:
    """An aggregate of a group's values of `expression` as one text, `separator` between them, in no set order;
    NULL when the group has no values. (SQLite says group_concat; PostgreSQL says string_agg, which SQLite learnt
    only in 3.44.)"""
    if "'" in separator:
        raise ValueError("the separator is written into the SQL and may not contain a quote")
    return f"group_concat({expression}, '{separator}')"


def starts_with(column: str) -> str:
    """A condition true when `column` starts with a prefix, given as the two parameters `prefix_bounds(prefix)`.

    A range, not `LIKE 'prefix%'`: an index on the column serves a range on either engine, while LIKE needs the
    pattern escaped and is case-blind for ASCII on SQLite; the columns it applies to hold keys, compared in code point
    order (on PostgreSQL such a column needs COLLATE "C")."""
    return f"{column} >= ? AND {column} < ?"


def prefix_bounds(prefix: str) -> tuple[str, str]:
    """The parameters of `starts_with`: [prefix, prefix + PREFIX_END), the keys starting with `prefix`."""
    return prefix, prefix + PREFIX_END
