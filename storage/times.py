"""Times are stored as ISO-8601 UTC text so that they sort and compare as strings."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached storage; rules must pass aware times")
    return moment.astimezone(UTC).isoformat(timespec="seconds")
