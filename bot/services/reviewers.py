"""Who reviews a kind of submission — a review kind's `audience`: whom its card goes to when it is handed in, who
may decide it (re-checked on every press, whatever the button said), and what /pending lists for a person.

Two audiences serve today: the approvers of the author's branch (书记, 副书记: every kind so far), and the officers
of a unit (by default the unit the author's branch is placed in: a secretary's task submission or 述职 goes up, not
to the secretary). An officer need not be a member of any branch. A rule such as "nobody decides their own case"
is an audience too: it picks other reviewers for the author's own submissions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.domain.models import Member
from bot.domain.review import Submission
from bot.domain.roles import APPROVER_ROLES
from bot.domain.units import ROOT_ID
from bot.errors import UserError
from bot.services import Services, membership
from storage import members, submissions
from storage import units as unit_store
from storage.connection import Conn


@dataclass(frozen=True)
class Reviewer:
    """Someone who reviews: `member` when they are a member (a branch's approver, or an officer who is one too)."""

    telegram_id: int | None
    name: str
    member: Member | None = None

    @property
    def tag(self) -> str:
        """Tells one reviewer's copy of a card from another's (in the card's outbox key)."""
        return str(self.member.id) if self.member else f"t{self.telegram_id}"


def of_member(member: Member) -> Reviewer:
    return Reviewer(member.telegram_id, member.name, member)


class Audience(Protocol):
    async def reviewers(self, svc: Services, db: Conn, submission: Submission) -> list[Reviewer]:
        """Whom the card goes to when the submission is handed in."""
        ...

    async def authorise(self, svc: Services, telegram_id: int, submission: Submission) -> Reviewer:
        """The presser as a reviewer of this submission, or a UserError (not theirs to decide)."""
        ...

    async def waiting(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        """/pending: what of these kinds waits for this person; None when they review none of them."""
        ...


@dataclass(frozen=True)
class BranchApprovers:
    """The approvers (书记, 副书记) of the branch the submission was handed in to."""

    async def reviewers(self, svc: Services, db: Conn, submission: Submission) -> list[Reviewer]:
        return [of_member(m) for m in await members.with_role(db, submission.branch_id, APPROVER_ROLES)]

    async def authorise(self, svc: Services, telegram_id: int, submission: Submission) -> Reviewer:
        return of_member(await membership.approver(svc, telegram_id, submission.branch_id))

    async def waiting(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        try:
            actor = await membership.approver(svc, telegram_id)
        except UserError:
            return None
        return [s for s in await submissions.waiting(svc.db, actor.branch_id) if s.kind in kinds]


# Which unit's officers review a submission: (svc, connection, submission) → unit id.
UnitOf = Callable[[Services, Conn, Submission], Awaitable[int | None]]


async def branch_unit(svc: Services, db: Conn, submission: Submission) -> int | None:
    """The unit the author's branch is placed in (the root for a branch placed nowhere)."""
    return await unit_store.unit_of_branch(db, submission.branch_id)


@dataclass(frozen=True)
class UnitOfficers:
    """The officers of one unit (the root's are the county's admins too); `unit_of` says which unit."""

    unit_of: UnitOf = branch_unit

    async def reviewers(self, svc: Services, db: Conn, submission: Submission) -> list[Reviewer]:
        unit_id = await self.unit_of(svc, db, submission)
        unit = await unit_store.get(db, unit_id) if unit_id is not None else None
        if unit is None:
            return []
        people = {o.telegram_id: o.name for o in await unit_store.officers_of(db, unit.id)}
        if unit.id == ROOT_ID:
            people.update({t: people.get(t, "") for t in sorted(svc.settings.admins)})
        return [Reviewer(telegram_id, name or unit.name, await members.by_telegram_id(db, telegram_id))
                for telegram_id, name in people.items()]

    async def authorise(self, svc: Services, telegram_id: int, submission: Submission) -> Reviewer:
        for reviewer in await self.reviewers(svc, svc.db, submission):
            if reviewer.telegram_id == telegram_id:
                return reviewer
        raise UserError("common/not_allowed.j2")

    async def waiting(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        if telegram_id not in svc.settings.admins and not await unit_store.units_of_officer(svc.db, telegram_id):
            return None
        return [s for s in await submissions.waiting_of_kinds(svc.db, kinds)
                if telegram_id in {r.telegram_id for r in await self.reviewers(svc, svc.db, s)}]


BRANCH_APPROVERS = BranchApprovers()
