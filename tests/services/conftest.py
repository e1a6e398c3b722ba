"""The services layer: use cases and the outbox drainer on a real migrated database, a recording sender and the
manual clock — no Telegram, no HTTP.

The features' wiring (review kinds, relevance checks, ticks) happens in the `services` fixture and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.catalog import core_registry
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Member
from bot.scheduler import Drainer
from bot.services import Services, membership, notify
from bot.settings import Settings
from storage import meetings
from storage.db import Database
from tests.services.helpers import join
from tests.support import ADMIN_ID, ENGINES, FIRST_MEMBER_ID, MEMBER_NAMES, SECRETARY_ID, ManualClock, RecordingSender


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


@pytest.fixture
async def branch(services: Services) -> Cast:
    """A branch created as `zhibu branch create` does, with its secretary only."""
    created, secretary, _ = await membership.create_branch(services, "第一党支部", SECRETARY_ID, "王书记")
    return Cast(created.id, secretary)


@pytest.fixture
async def cast(services: Services, branch: Cast, drainer: Drainer, sender: RecordingSender) -> Cast:
    """The branch with three members who joined by the invite link and were approved. What that queued (join
    cards, outcomes, the coming theme day the first drain creates) is drained and forgotten by the sender, so a
    test sees only what it causes."""
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    for offset, name in enumerate(MEMBER_NAMES):
        branch.people.append(await join(services, invitation.code, FIRST_MEMBER_ID + offset, name))
    await drainer.drain_now()
    sender.clear()
    return branch


@pytest.fixture
async def theme_day(services: Services, cast: Cast) -> Meeting:
    """December's theme day (first Thursday, 09:00–11:00 Shanghai), made by the first drain's tick 10 days ahead."""
    meeting = await meetings.for_period(services.db, cast.branch_id, MeetingKind.THEME_DAY, "2026-12")
    assert meeting is not None
    return meeting
