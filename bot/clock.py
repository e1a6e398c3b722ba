"""Where "now" comes from. Rules take `now` as an argument; only the edges ask a clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The real time, always timezone-aware UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock(Clock):
    """Real time plus an offset that only moves forward: the demo's time travel."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta():
            raise ValueError("time travel only goes forward")
        self.offset += delta
