"""The 民心墙's rules (seed 003, 千阳): what a resident's message is, when an order may be taken, when its dispatch
is due, and when the resident's details are erased. Pure functions; time comes in as `now`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel


class OrderStatus(StrEnum):
    DRAFT = "draft"  # the resident is still writing it
    OPEN = "open"  # handed in, waiting for the dispatcher (again, after 不满意)
    DISPATCHED = "dispatched"  # 派单: a member was chosen
    TAKEN = "taken"  # 接单: the member is working on it
    REPORTED = "reported"  # the member's report was accepted; the resident is asked to rate it
    CLOSED = "closed"  # rated 满意 or 基本满意


class Rating(StrEnum):
    GOOD = "good"  # 满意
    FAIR = "fair"  # 基本满意
    POOR = "poor"  # 不满意: the branch finds out why and dispatches again


# The statuses a resident's order is still being handled in (the flood limit counts them).
LIVE = frozenset({OrderStatus.OPEN, OrderStatus.DISPATCHED, OrderStatus.TAKEN, OrderStatus.REPORTED})

DISPATCH_DAYS = 3  # 党小组 … 在三天内对居民点单内容进行派单
REMIND_BEFORE = timedelta(days=1)  # the dispatchers are reminded a day before the dispatch is due
OPEN_MAX = 5  # one chat may have at most this many orders under way
NEED_MAX = 1000
PHOTOS_MAX = 5
REASON_MAX = 300

_LINK = re.compile(r"(https?://|www\.|t\.me/|\b[a-z0-9-]+\.(com|cn|net|org)\b)", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d\s-]{7,20}$")


class WallOrder(BaseModel):
    id: int
    branch_id: int
    resident_chat: int | None
    status: OrderStatus
    need: str = ""
    phone: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    round: int = 1
    member_id: int | None = None
    dispatcher_id: int | None = None
    rating: Rating | None = None
    created_at: datetime
    submitted_at: datetime | None = None
    dispatched_at: datetime | None = None
    closed_at: datetime | None = None
    erased_at: datetime | None = None

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def has_link(text: str) -> bool:
    """Links are refused: a wall is for a need in the resident's own words, not for forwarding sites."""
    return _LINK.search(text) is not None


def phone_of(text: str) -> str | None:
    """A message that is only a phone number (7–15 digits, spaces, dashes, a leading +) is the resident's phone."""
    stripped = text.strip()
    if not _PHONE.match(stripped):
        return None
    digits = sum(c.isdigit() for c in stripped)
    return stripped if 7 <= digits <= 15 else None


def dispatch_due(submitted_at: datetime) -> datetime:
    """When the order must have been dispatched: three days after it was handed in (or handed back)."""
    return submitted_at + timedelta(days=DISPATCH_DAYS)


def remind_at(submitted_at: datetime) -> datetime:
    return dispatch_due(submitted_at) - REMIND_BEFORE


def overdue(order: WallOrder, now: datetime) -> bool:
    """Still waiting for a dispatch after its three days."""
    return (order.status is OrderStatus.OPEN and order.submitted_at is not None
            and now >= dispatch_due(order.submitted_at))


def erase_before(now: datetime, keep_days: int) -> datetime:
    """Orders closed before this moment have their resident's details erased."""
    return now - timedelta(days=keep_days)
