"""The services layer: use cases and the outbox drainer on a real migrated database, a recording sender and the
manual clock — no Telegram, no HTTP.

The features' wiring (review kinds, relevance checks, ticks) happens in the `services` fixture and nowhere else.
"""

from __future__ import annotations

import contextlib
import copy
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.bench import pg_server
from bot.catalog import core_registry
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Member
from bot.scheduler import Drainer
from bot.services import Services, membership, notify
from bot.settings import Settings
from storage import meetings
from storage.db import Database
from tests.services.helpers import join
from tests.support import (
    ADMIN_ID,
    ENGINES,
    FIRST_MEMBER_ID,
    MEMBER_NAMES,
    SECRETARY_ID,
    ManualClock,
    RecordingSender,
    fresh_database,
    fresh_target,
)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Every services test runs on SQLite and on PostgreSQL."""
    return str(request.param)


@pytest.fixture
def settings(target: Path | str) -> Settings:
    return Settings(db=target, admins=frozenset({ADMIN_ID}))


@pytest.fixture
def services(database: Database, settings: Settings, clock: ManualClock) -> Services:
    """Use cases over the real database with every feature wired in (review kinds, relevance checks, ticks)."""
    return Services(db=database, settings=settings, clock=clock, features=core_registry())


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def drainer(services: Services, sender: RecordingSender) -> Drainer:
    return Drainer(services, sender, notify.member_unreachable)


@dataclass
class Cast:
    """A branch as the tests find it: its secretary and the members who joined and were approved."""

    branch_id: int
    secretary: Member
    people: list[Member] = field(default_factory=list)


@dataclass
class Snapshot:
    """The database as the `cast` fixture left it, made once per engine (and per module that builds it from
    fixtures of its own): a copy of the SQLite file, or the rows to put back in the PostgreSQL database."""

    cast: Cast
    next_message_id: int  # the recording sender's, after the cast's sends
    file: Path | None = None
    rows: pg_server.Resettable | None = None


RESTORED = pytest.StashKey[Snapshot]()
KEY = pytest.StashKey[tuple[str, str | None] | None]()  # which snapshot a test's cast is (None: built apart)
# What a test may use besides the cast for the snapshot to stand in for building it: nothing here writes before the
# cast is made. A test with any other fixture (a county made first, …) builds its cast itself.
PLAIN = {"engine", "target", "database", "settings", "services", "clock", "sender", "drainer", "branch", "cast",
         "theme_day", "tmp_path", "tmp_path_factory", "request", "event_loop_policy", "monkeypatch", "snapshots",
         "_function_scoped_runner"}
BUILT_FROM = ("engine", "target", "database", "settings", "services", "clock", "sender", "drainer", "branch", "cast")


def _snapshot_key(request: pytest.FixtureRequest, engine: str) -> tuple[str, str | None] | None:
    callspec = getattr(request.node, "callspec", None)
    used = set(request.fixturenames) - set(callspec.params if callspec else ())
    if "cast" not in used or not used <= PLAIN:
        return None
    own = any(name in vars(request.module) for name in BUILT_FROM)  # the module builds it its own way
    return engine, request.module.__name__ if own else None


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[tuple[str, str | None], Snapshot]]:
    made: dict[tuple[str, str | None], Snapshot] = {}
    yield made
    for snapshot in made.values():
        if snapshot.rows is not None:
            snapshot.rows.close()


@pytest.fixture
def target(engine: str, tmp_path: Path, request: pytest.FixtureRequest,
           snapshots: dict[tuple[str, str | None], Snapshot]) -> Path | str:
    """As everywhere, but a test that uses the plain `cast` starts from the database the first such test of its
    engine built (a file copy, or one round trip that puts the rows back): three joins and the first drain cost
    more than the rest of most tests."""
    key = request.node.stash[KEY] = _snapshot_key(request, engine)  # before fixtures asked for by name add theirs
    snapshot = snapshots.get(key) if key else None
    if snapshot is None:
        return fresh_target(engine, tmp_path, request)
    request.node.stash[RESTORED] = snapshot
    if snapshot.file is not None:
        return fresh_database(snapshot.file, tmp_path / "uow.db")
    assert snapshot.rows is not None
    snapshot.rows.reset()
    return snapshot.rows.url


@pytest.fixture
async def branch(services: Services, request: pytest.FixtureRequest) -> Cast:
    """A branch created as `zhibu branch create` does, with its secretary only."""
    restored = request.node.stash.get(RESTORED, None)
    if restored is not None:  # the cast's database: its branch with the people who joined
        return copy.deepcopy(restored.cast)
    created, secretary, _ = await membership.create_branch(services, "第一党支部", SECRETARY_ID, "王书记")
    return Cast(created.id, secretary)


@pytest.fixture
async def cast(services: Services, branch: Cast, drainer: Drainer, sender: RecordingSender,
               request: pytest.FixtureRequest, snapshots: dict[tuple[str, str | None], Snapshot],
               engine: str, tmp_path_factory: pytest.TempPathFactory) -> Cast:
    """The branch with three members who joined by the invite link and were approved. What that queued (join
    cards, outcomes, the coming theme day the first drain creates) is drained and forgotten by the sender, so a
    test sees only what it causes. Built once per engine; later tests start from a copy (see `target`)."""
    restored = request.node.stash.get(RESTORED, None)
    if restored is not None:
        sender._next_id = restored.next_message_id
        return branch
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    for offset, name in enumerate(MEMBER_NAMES):
        branch.people.append(await join(services, invitation.code, FIRST_MEMBER_ID + offset, name))
    await drainer.drain_now()
    sender.clear()
    key = request.node.stash.get(KEY, None)
    if key is not None and key not in snapshots:
        snapshot = Snapshot(copy.deepcopy(branch), sender._next_id)
        if engine == "sqlite":
            snapshot.file = tmp_path_factory.mktemp("cast") / "cast.db"
            with (contextlib.closing(sqlite3.connect(services.settings.db)) as source,
                  contextlib.closing(sqlite3.connect(snapshot.file)) as into):
                source.backup(into)
        else:
            snapshot.rows = pg_server.Resettable(str(services.settings.db))
        snapshots[key] = snapshot
    return branch


@pytest.fixture
async def theme_day(services: Services, cast: Cast) -> Meeting:
    """December's theme day (first Thursday, 09:00–11:00 Shanghai), made by the first drain's tick 10 days ahead."""
    meeting = await meetings.for_period(services.db, cast.branch_id, MeetingKind.THEME_DAY, "2026-12")
    assert meeting is not None
    return meeting
