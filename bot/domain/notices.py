"""A notice a committee member sends to the branch, and how many have read it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Notice(BaseModel):
    id: int
    branch_id: int
    author_id: int
    body: str
    file_id: str | None
    file_kind: str | None
    audience: str
    to_group: bool
    status: str
    status_chat_id: int | None
    status_message_id: int | None
    created_at: datetime
    sent_at: datetime | None


class ReadCounts(BaseModel):
    total: int
    read: int

    @property
    def unread(self) -> int:
        return self.total - self.read


class Recipient(BaseModel):
    """Someone a notice goes to: a receipt is kept for them; a copy is sent when the bot can reach them."""

    member_id: int
    branch_id: int
    telegram_id: int | None
    reachable: bool
