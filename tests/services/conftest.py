"""The services layer: use cases and the outbox drainer on a real migrated database, a recording sender and the
manual clock — no Telegram, no HTTP.

The features' wiring (review kinds, relevance checks, ticks) happens in the `services` fixture and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.catalog import core_registry
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Member
from bot.outgoing import Outgoing
from bot.scheduler import Delivery, Drainer, SendResult
from bot.services import Services, membership, notify
from bot.settings import Settings
from storage import meetings
from storage.db import Database
from tests.conftest import ENGINES, ManualClock

SECRETARY_ID = 1001


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Every services test runs on SQLite and on PostgreSQL."""
    return str(request.param)
MEMBER_NAMES = ("李红梅", "赵建国", "孙丽")
FIRST_MEMBER_ID = 2001


class RecordingSender:
    """The drainer's `Sender`: records every (chat_id, Outgoing) it is handed and answers with `outcome`.

    `outcome` is a SendResult, or a function of (chat_id, Outgoing) giving one, so a test can make one chat
    answer 403 while the others are sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Outgoing]] = []
        self.outcome: SendResult | Callable[[int, Outgoing], SendResult] = SendResult(Delivery.SENT)
        self._next_id = 100

    async def __call__(self, chat_id: int, message: Outgoing) -> SendResult:
        self.sent.append((chat_id, message))
        result = self.outcome(chat_id, message) if callable(self.outcome) else self.outcome
        if result.outcome is Delivery.SENT and result.message_id is None:
            self._next_id += 1
            result = SendResult(Delivery.SENT, message_id=self._next_id)
        return result

    def to(self, chat_id: int) -> list[Outgoing]:
        """What went to one chat, in order."""
        return [message for chat, message in self.sent if chat == chat_id]

    def templates_to(self, chat_id: int) -> list[str]:
        return [message.template for message in self.to(chat_id)]

    def clear(self) -> None:
        self.sent.clear()


@pytest.fixture
def settings(target: Path | str) -> Settings:
    return Settings(db=target, admins=frozenset({9001}))


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


async def join(svc: Services, code: str, telegram_id: int, name: str) -> Member:
    """Invite link → name → the secretary approves: the use cases a join goes through, in order."""
    branch = await membership.begin_join(svc, telegram_id, code)
    request = await membership.submit_join_name(svc, telegram_id, name, {"branch_id": branch.id, "code": code})
    decision = await membership.decide_join(svc, SECRETARY_ID, request.member.id, approve=True)
    return decision.member


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
