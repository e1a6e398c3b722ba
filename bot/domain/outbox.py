"""Reminders and notifications waiting in the outbox, and what became of them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from bot.outgoing import Outgoing


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxRow(BaseModel):
    id: int
    key: str
    branch_id: int | None
    member_id: int | None
    chat_id: int
    kind: str
    payload: Outgoing
    urgent: bool
    due_at: datetime
    expires_at: datetime | None
    status: OutboxStatus
    attempts: int
    last_error: str | None
    message_id: int | None
    sent_at: datetime | None


class Planned(BaseModel):
    """One reminder as a planner produces it; `key` makes planning idempotent."""

    key: str
    chat_id: int
    kind: str
    payload: Outgoing
    due_at: datetime
    expires_at: datetime | None = None
    branch_id: int | None = None
    member_id: int | None = None
    urgent: bool = False
