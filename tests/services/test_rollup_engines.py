"""A roll-up over one county on SQLite and one on PostgreSQL (the server the tests start): both are shown, each
with its own branches; what the roll-up reads through cannot write into a county on either engine; the one write
it makes, a task from above, reaches both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from psycopg import errors

from bot.rollup import service
from bot.rollup.counties import close_counties, open_counties
from bot.rollup.drafts import Drafts
from bot.rollup.service import Rollup
from bot.services import Services, membership
from bot.settings import Settings
from storage import tasks as task_store
from storage import units as unit_store
from storage.db import open_database
from tests.support import fresh_database

OFFICER = 9901
INSERT = "INSERT INTO units (name, kind, parent_id, created_at) VALUES ('x', '', 1, '')"


async def _seed(settings: Settings, clock, branches: list[tuple[str, int]]) -> Settings:
    db = await open_database(settings.db)
    try:
        svc = Services(db=db, settings=settings, clock=clock)
        for name, secretary in branches:
            await membership.create_branch(svc, name, secretary, "王书记")
    finally:
        await db.close()
    return settings


@pytest.fixture
async def mixed(tmp_path: Path, migrated: Path, pg_shared, clock):
    pg_shared.reset()
    sqlite = Settings(_env_file=None, db=fresh_database(migrated, tmp_path / "zhibu-jia.db"))
    postgresql = Settings(_env_file=None, db=pg_shared.url)
    found = [("jia", await _seed(sqlite, clock, [("甲一支部", 1101)])),
             ("yi", await _seed(postgresql, clock, [("乙一支部", 1201), ("乙二支部", 1202)]))]
    counties = await open_counties(found, clock)
    yield Rollup("某市委组织部", frozenset({OFFICER}), counties, Drafts(tmp_path / "drafts.json"), clock)
    await close_counties(counties)


async def test_both_engines_counties_are_shown(mixed):
    """/overview lists the SQLite county and the PostgreSQL county with their own branch counts, and each
    county's page lists only its own branches."""
    assert mixed.counties[1].svc.db.engine == "postgresql" and mixed.counties[0].svc.db.engine == "sqlite"
    found = {c.name: c.branches for c in await service.counties(mixed, OFFICER)}
    assert found == {"jia": 1, "yi": 2}
    page = await service.county_page(mixed, OFFICER, 1)
    assert sorted(f.branch.name for f in page.items) == ["乙一支部", "乙二支部"]


async def test_a_write_through_the_rollups_connections_fails(mixed):
    """A write through either county's read connection — inside write() or alone — is refused by its engine, and
    nothing changed."""
    jia, yi = (c.svc.db for c in mixed.counties)
    with pytest.raises(sqlite3.OperationalError):
        async with jia.write() as conn:
            await conn.execute(INSERT)
    with pytest.raises(errors.ReadOnlySqlTransaction):
        async with yi.write() as conn:
            await conn.execute(INSERT)
    with pytest.raises(errors.ReadOnlySqlTransaction):
        await yi.execute(INSERT)
    assert [len(await unit_store.every(db)) for db in (jia, yi)] == [1, 1]


async def test_a_task_from_above_reaches_both_engines(mixed):
    """发布 writes the task into each county through its own writable unit of work: both counties hold it."""
    draft = await service.draft_task(mixed, OFFICER, "报送年度工作总结\n请各支部报送本年度党建工作总结。\n12月20日")
    issued = await service.publish_task(mixed, OFFICER, "某市委组织部", draft[-1])
    assert [(i.county, i.branches) for i in issued] == [("jia", 1), ("yi", 2)]
    for county in mixed.counties:
        [task] = await task_store.of_units(county.svc.db, [1])
        assert task.title == "报送年度工作总结"


async def test_a_county_that_cannot_be_read_stops_the_start_with_its_name(tmp_path: Path, migrated: Path,
                                                                         pg_shared, clock):
    """A PostgreSQL county whose database is not there stops the roll-up's start at once, with the county's name."""
    missing = pg_shared.url.rsplit("/", 1)[0] + "/zhibu_no_such_county"
    found = [("jia", Settings(_env_file=None, db=fresh_database(migrated, tmp_path / "zhibu-jia.db"))),
             ("bing", Settings(_env_file=None, db=missing))]
    with pytest.raises(RuntimeError, match="county bing: cannot read"):
        await open_counties(found, clock)
