"""What a storage function is given: a connection to run statements on, whatever the engine behind it.

Repositories take a `Conn`: the unit of work (`storage.db.Database`, and what its `write()` and `read()` yield), a
plain connection in storage tests and tools (`storage.sqlite.connect`), or a scratch copy (`storage.copies`). They use
only what is declared here — `execute`/`executemany`, and the cursor's `fetchone`/`fetchall`/`rowcount` — so a second
engine is a class with these methods, not a change to the repositories. Services name the type too (they pass the
unit of work along), so it lives in this leaf module that imports nothing of zhibu's.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol, TypeVar

# A statement's parameters: positional (`?` placeholders) or by name.
Parameters = Sequence[Any] | Mapping[str, Any]

_T_co = TypeVar("_T_co", covariant=True)


class Row(Protocol):
    """One result row, read by position (`row[0]`, `total, read = row`) or by column name (`row["name"]`);
    `dict(row)` maps the column names to the values."""

    def keys(self) -> list[str]: ...

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


class Cursor(Protocol):
    """The result of one statement."""

    @property
    def rowcount(self) -> int:
        """Rows the statement changed (for INSERT, UPDATE, DELETE)."""
        ...

    async def fetchone(self) -> Row | None: ...

    async def fetchall(self) -> Iterable[Row]: ...


class Statement(Protocol[_T_co]):
    """A statement on its way: `await` it when only its effect matters, or `async with` it to read its cursor,
    which is closed when the block ends."""

    def __await__(self) -> Generator[Any, None, _T_co]: ...

    async def __aenter__(self) -> _T_co: ...

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None, /) -> None: ...


class Conn(Protocol):
    """A connection as repositories use it: one statement (`execute`), or one statement over many parameter rows
    (`executemany`). Whether the statements are inside a transaction is the caller's business (the unit of work)."""

    def execute(self, sql: str, parameters: Parameters = ..., /) -> Statement[Cursor]: ...

    def executemany(self, sql: str, parameters: Iterable[Parameters], /) -> Statement[Cursor]: ...


async def one_row(cursor: Cursor) -> Row:
    """The row a statement is sure to return (an INSERT … RETURNING, an aggregate without GROUP BY, a PRAGMA that
    reads a value); none is a bug, and fails here rather than as a `None` further on."""
    row = await cursor.fetchone()
    if row is None:
        raise LookupError("the statement returned no row")
    return row
