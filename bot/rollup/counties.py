"""The counties a roll-up reads: each one's own database opened for reading (its Services, as the county's use
cases take them), and a short-lived writable one for the only write the roll-up makes (a task from above)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock
from bot.domain.units import ROOT_ID
from bot.services import Services
from bot.settings import Settings
from storage import units as unit_store
from storage.db import is_postgresql, open_database, open_read_only

DEFAULT_ROOT = "县委组织部"


@dataclass
class County:
    name: str  # as configured (anping)
    title: str  # its root unit's name (安平县委组织部)
    svc: Services  # over the county's database, read-only

    @asynccontextmanager
    async def writable(self) -> AsyncIterator[Services]:
        """The county's database opened for one write, through its own unit of work; closed after."""
        target = self.svc.settings.db
        if not is_postgresql(target) and not Path(target).is_file():  # moved away: never create an empty one
            raise FileNotFoundError(f"no database at {target}")
        db = await open_database(target, migrate_schema=False)
        try:
            yield Services(db=db, settings=self.svc.settings, clock=self.svc.clock)
        finally:
            await db.close()


async def open_counties(found: list[tuple[str, Settings]], clock: Clock) -> list[County]:
    """Open every county's database for reading (SQLite query-only, PostgreSQL in READ ONLY transactions); one that
    cannot be opened stops the start with its name."""
    counties: list[County] = []
    try:
        for name, settings in found:
            try:  # a missing file, a PostgreSQL server that refuses, a database without zhibu's tables
                db = await open_read_only(settings.db)
                counties.append(County(name, name, Services(db=db, settings=settings, clock=clock)))
                root = await unit_store.get(db, ROOT_ID)
            except Exception as exc:
                raise RuntimeError(f"county {name}: cannot read {settings.db_label} ({exc})") from exc
            # Every county's root starts as 县委组织部 (migration 010): then the configured name tells them apart.
            if root is not None and root.name != DEFAULT_ROOT:
                counties[-1].title = root.name
    except BaseException:
        await close_counties(counties)
        raise
    return counties


async def close_counties(counties: list[County]) -> None:
    for county in counties:
        await county.svc.db.close()
