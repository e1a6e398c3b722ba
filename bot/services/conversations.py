"""The form a person is filling in: what the form router reads, and /cancel."""

from __future__ import annotations

from bot.domain.models import Conversation
from bot.services import Services
from storage import conversations


async def current(svc: Services, telegram_id: int) -> Conversation | None:
    return await conversations.get(svc.db, telegram_id)


async def cancel(svc: Services, telegram_id: int) -> Conversation | None:
    """Drop the person's form; the form that was dropped, if any (its feature may have saved a draft)."""
    async with svc.db.write() as db:
        conversation = await conversations.get(db, telegram_id)
        await conversations.clear(db, telegram_id)
    return conversation
