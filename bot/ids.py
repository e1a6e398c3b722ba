"""Ids typed by people (a unit's id after /export, a meeting's after /minutes, a Telegram id): digits only, and
within what the database can hold. SQLite keeps integers in 64 bits; a bigger number sent to it is an
OverflowError, not a row that does not exist, so every typed id is read here first."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # SQLite's INTEGER


def parse_id(text: str | None) -> int | None:
    """The id written in `text` (surrounding spaces allowed), or None for anything that is not one: empty, not all
    ASCII digits, zero, or beyond the database's integers."""
    written = (text or "").strip()
    if not written or not written.isascii() or not written.isdigit() or len(written) > 19:
        return None
    number = int(written)
    return number if 0 < number <= MAX_ID else None
