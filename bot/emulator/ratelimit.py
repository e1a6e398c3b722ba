"""Telegram's flood limits as token buckets: ≈30 messages/s overall and 20 messages/min into one group.

Telegram does not publish its exact algorithm; a bucket that holds one second's (or one minute's) worth of
messages and refills evenly is the documented behaviour ("about 30 messages per second", "no more than 20
messages per minute to the same group") and is what a well-behaved client must stay under.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float = -1.0
    stamp: float | None = None

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.capacity

    def take(self, now: float) -> float:
        """Take one token; 0.0 when allowed, else the seconds until one is available (nothing taken)."""
        if self.stamp is None:
            self.stamp = now
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.per_second


PAID_PER_SECOND = 1000  # allow_paid_broadcast: "up to 1000 messages per second", 0.1 Star each


class FloodControl:
    def __init__(self, per_second: float = 30, group_per_minute: float = 20) -> None:
        self.overall = Bucket(per_second, per_second)
        self.paid = Bucket(PAID_PER_SECOND, PAID_PER_SECOND)  # paid sends have their own, higher limit
        self.group_per_minute = group_per_minute
        self.groups: dict[int, Bucket] = {}

    def check(self, chat_id: int, now: float | None = None, paid: bool = False) -> int | None:
        """None when the message may go, else Telegram's retry_after in whole seconds. A paid broadcast
        (allow_paid_broadcast) counts against the paid limit instead of the free 30 a second."""
        now = time.monotonic() if now is None else now
        if chat_id < 0:
            bucket = self.groups.setdefault(chat_id, Bucket(self.group_per_minute, self.group_per_minute / 60))
            wait = bucket.take(now)
            if wait:
                return max(1, math.ceil(wait))
        wait = (self.paid if paid else self.overall).take(now)
        if wait:
            if chat_id < 0:
                self.groups[chat_id].tokens += 1  # the group's token was not used after all
            return max(1, math.ceil(wait))
        return None
