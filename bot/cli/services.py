"""What the commands share: the services over the database, built with the same core features as the app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.services import Services

T = TypeVar("T")


async def with_services(settings: Settings, work: Callable[[Services], Awaitable[T]]) -> T:
    """Open the database, run `work` with the services (features: bot/catalog.py's core list), close it."""
    from bot.catalog import core_registry
    from bot.services import Services
    from storage.db import open_database

    db = await open_database(settings.db)
    try:
        return await work(Services(db=db, settings=settings, features=core_registry()))
    finally:
        await db.close()
