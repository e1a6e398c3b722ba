"""A filed record's review day (bot/services/filing.review_deadline) counts the unit policy's review days — the
unit's own, or the units' above it — in the unit's working days."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.services import filing, unit_policy
from storage import units as unit_store

FILED = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 November, 10:00 in Shanghai


async def test_the_review_day_follows_the_unit_policy(services):
    """3 working days by default (Thursday); the county's 2 reach the town below it (Wednesday); the town's own
    stricter 1 wins for the town (Tuesday) while the county keeps its 2."""
    async with services.db.write() as db:
        town = await unit_store.create(db, "城关镇党委", 1, services.now(), "党委")
    deadline = filing.review_deadline
    assert await deadline(services, services.db, town.id, FILED) == date(2026, 11, 26)
    await unit_policy.change(services, None, 1, "review_days", "2")
    assert await deadline(services, services.db, town.id, FILED) == date(2026, 11, 25)
    await unit_policy.change(services, None, town.id, "review_days", "1")
    assert await deadline(services, services.db, town.id, FILED) == date(2026, 11, 24)
    assert await deadline(services, services.db, 1, FILED) == date(2026, 11, 25)
