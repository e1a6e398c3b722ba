"""Who decides a case — a review kind's `audience`, and the same routing for every other decision about a person
(confirming their dues, recording their make-up, setting their final grade): whom the card goes to when it is
handed in, who may decide it (re-checked on every press, whatever the button said), and what /pending lists.

Nobody decides their own case. A case of the branch goes to the branch's people with the kind's roles (书记, 副书记
for reviews; 组织委员 and the secretary for dues …) other than its author; where there is none — the author is the
only one, or the branch has nobody of the kind with Telegram — to the officers of the unit the branch is placed in,
or of the nearest unit above with officers (the county's admins at the root), the author always left out. A case of
a unit (a task's submission) goes to the unit's officers other than its author, and up the tree likewise. The route
says why it came to them, so the card can say so ("支部书记本人的请假申请，由您审批"). An officer need not be a
member of any branch: their card goes to their own chat, and they decide under their name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.domain.models import Member
from bot.domain.outbox import Planned
from bot.domain.review import Submission
from bot.domain.roles import APPROVER_ROLES, Role
from bot.domain.units import ROOT_ID, Unit
from bot.errors import UserError
from bot.outgoing import Outgoing
from bot.render import word
from bot.services import Services, notify, units
from storage import branches, members, outbox, submissions
from storage import units as unit_store
from storage.connection import Conn

OWN, NOBODY = "own", "nobody"  # why a case did not go to the usual deciders


@dataclass(frozen=True)
class Reviewer:
    """Someone who decides: `member` when they are a member (a branch's approver, or an officer who is one too)."""

    telegram_id: int | None
    name: str
    member: Member | None = None

    @property
    def tag(self) -> str:
        """Tells one reviewer's copy of a card from another's (in the card's outbox key)."""
        return str(self.member.id) if self.member else f"t{self.telegram_id}"


def of_member(member: Member) -> Reviewer:
    return Reviewer(member.telegram_id, member.name, member)


@dataclass(frozen=True)
class Route:
    """Who decides one case and, when they are not its usual deciders, why it came to them."""

    reviewers: list[Reviewer]
    why: str | None = None  # OWN: the author is one of the usual deciders; NOBODY: there are none in the branch
    title: str | None = None  # the author's post that would have decided it (支部书记, 组织委员, 管理员)
    unit: str | None = None  # the unit whose officers decide it
    branch: str | None = None  # the branch the case is of, named on an officer's card
    extra: dict[str, Any] = field(default_factory=dict)

    def find(self, telegram_id: int) -> Reviewer | None:
        return next((r for r in self.reviewers if r.telegram_id == telegram_id), None)

    def params(self) -> dict[str, Any]:
        """What a card says about the route (templates/review/_routed.j2)."""
        return {"why": self.why, "title": self.title, "unit": self.unit, "branch": self.branch}


async def officers_from(svc: Services, db: Conn, unit_id: int | None,
                        leave_out: int | Collection[int] | None = None) -> tuple[Unit | None, list[Reviewer]]:
    """The officers of the unit, or of the nearest unit above it that has officers other than `leave_out` (one
    Telegram id or several; the county's admins count as the root's officers)."""
    left_out = {leave_out} if isinstance(leave_out, int) else set(leave_out or ())
    unit = await unit_store.get(db, unit_id if unit_id is not None else ROOT_ID)
    while unit is not None:
        people = {o.telegram_id: o.name for o in await unit_store.officers_of(db, unit.id)}
        if unit.id == ROOT_ID:
            people.update({t: people.get(t, "") for t in sorted(svc.settings.admins)})
        for telegram_id in left_out:
            people.pop(telegram_id, None)
        if people:
            return unit, [Reviewer(t, name or unit.name, await members.by_telegram_id(db, t))
                          for t, name in people.items()]
        unit = await unit_store.get(db, unit.parent_id) if unit.parent_id is not None else None
    return None, []


async def officer_name(svc: Services, db: Conn, telegram_id: int) -> str:
    """How an officer is named on what they decide: their stored name, else their unit's name."""
    for unit_id in await units.officer_scope(svc, telegram_id):
        named = [o.name for o in await unit_store.officers_of(db, unit_id) if o.telegram_id == telegram_id and o.name]
        unit = await unit_store.get(db, unit_id)
        if named or unit is not None:
            return named[0] if named else unit.name if unit else ""
    return ""


def _title(author: Member | None, roles: frozenset[Role]) -> str | None:
    held = [role for role in Role if author is not None and role in author.roles and role in roles]
    return held[0].label if held else None


async def deciders(svc: Services, db: Conn, branch_id: int, author: Member | None,
                   roles: frozenset[Role] = APPROVER_ROLES) -> Route:
    """Who decides a case of `author` in the branch that people with `roles` decide (see the module's docstring)."""
    people = [m for m in await members.with_role(db, branch_id, roles)
              if m.telegram_id is not None and (author is None or m.id != author.id)]
    title = _title(author, roles)
    if people:
        return Route([of_member(m) for m in people], why=OWN if title else None, title=title)
    unit, officers = await officers_from(svc, db, await unit_store.unit_of_branch(db, branch_id),
                                         author.telegram_id if author else None)
    branch = await branches.get(db, branch_id)
    return Route(officers, why=OWN if title else NOBODY, title=title, unit=unit.name if unit else None,
                 branch=branch.name if branch else None)


async def unit_deciders(svc: Services, db: Conn, unit_id: int | None, author: Member | None) -> Route:
    """Who decides a case handed in to a unit (a task's submission): its officers other than the author, or the
    nearest unit above's. Named `OWN` when the author is one of the unit's own officers."""
    leave_out = author.telegram_id if author else None
    unit, officers = await officers_from(svc, db, unit_id, leave_out)
    own = leave_out is not None and await _officer_of(svc, db, unit_id, leave_out)
    branch = await branches.get(db, author.branch_id) if author else None
    return Route(officers, why=OWN if own else None, title=word("review/officer") if own else None,
                 unit=unit.name if unit else None, branch=branch.name if branch else None)


async def _officer_of(svc: Services, db: Conn, unit_id: int | None, telegram_id: int) -> bool:
    if unit_id is None:
        return False
    if unit_id == ROOT_ID and telegram_id in svc.settings.admins:
        return True
    return any(o.telegram_id == telegram_id for o in await unit_store.officers_of(db, unit_id))


async def deliver(svc: Services, db: Conn, reviewer: Reviewer, message: Outgoing, *, kind: str, key: str) -> None:
    """A decider's card, in the caller's transaction: to a member through notify, to an officer who is no member
    in their own chat (which is their Telegram id)."""
    if reviewer.member is not None:
        await notify.to_member(svc, db, reviewer.member, message, kind=kind, key=key)
    elif reviewer.telegram_id is not None:
        now = svc.now()
        await outbox.upsert(db, Planned(key=key, chat_id=reviewer.telegram_id, kind=kind, payload=message,
                                        due_at=now, urgent=True), now)


async def authorise_in(route: Route, author: Member | None, telegram_id: int) -> Reviewer:
    """The presser as one of the route's deciders; the author is told it is their own case, anyone else that it
    is not theirs to decide."""
    found = route.find(telegram_id)
    if found is not None:
        return found
    if author is not None and author.telegram_id == telegram_id:
        raise UserError("review/own_case.j2")
    raise UserError("common/not_allowed.j2")


class Audience(Protocol):
    async def route(self, svc: Services, db: Conn, submission: Submission) -> Route:
        """Who decides the submission, and why it came to them."""
        ...

    async def reviewers(self, svc: Services, db: Conn, submission: Submission) -> list[Reviewer]:
        """Whom the card goes to when the submission is handed in."""
        ...

    async def authorise(self, svc: Services, telegram_id: int, submission: Submission) -> Reviewer:
        """The presser as a reviewer of this submission, or a UserError (not theirs to decide)."""
        ...

    async def waiting(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        """/pending: what of these kinds waits for this person; None when they review none of them."""
        ...


class _Routed:
    """What every audience does once it can route a submission."""

    async def route(self, svc: Services, db: Conn, submission: Submission) -> Route:
        raise NotImplementedError

    async def reviewers(self, svc: Services, db: Conn, submission: Submission) -> list[Reviewer]:
        return (await self.route(svc, db, submission)).reviewers

    async def authorise(self, svc: Services, telegram_id: int, submission: Submission) -> Reviewer:
        route = await self.route(svc, svc.db, submission)
        return await authorise_in(route, await members.get(svc.db, submission.author_id), telegram_id)

    async def _candidates(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        raise NotImplementedError

    async def waiting(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        found = await self._candidates(svc, telegram_id, kinds)
        if found is None:
            return None
        unique = {s.id: s for s in found}
        return [s for s in unique.values() if (await self.route(svc, svc.db, s)).find(telegram_id)]


async def _under_officer(svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
    """What waits in the branches of the officer's subtree (None: no officer)."""
    scope = await units.officer_scope(svc, telegram_id)
    if not scope:
        return None
    under = [b.id for b in await unit_store.branches_under(svc.db, scope)]
    return await submissions.waiting_in(svc.db, under, kinds)


@dataclass(frozen=True, eq=True)
class BranchDeciders(_Routed):
    """People of the author's branch with `roles` (the approvers, 书记 and 副书记, by default) other than the author;
    the unit above where there is none."""

    roles: frozenset[Role] = APPROVER_ROLES

    async def route(self, svc: Services, db: Conn, submission: Submission) -> Route:
        return await deciders(svc, db, submission.branch_id, await members.get(db, submission.author_id), self.roles)

    async def _candidates(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        member = await members.by_telegram_id(svc.db, telegram_id)
        mine = None
        if member is not None and member.is_active and member.roles & self.roles:
            mine = [s for s in await submissions.waiting(svc.db, member.branch_id) if s.kind in kinds]
        above = await _under_officer(svc, telegram_id, kinds)
        return None if mine is None and above is None else (mine or []) + (above or [])


# Which unit's officers review a submission: (svc, connection, submission) → unit id.
UnitOf = Callable[[Services, Conn, Submission], Awaitable[int | None]]


async def branch_unit(svc: Services, db: Conn, submission: Submission) -> int | None:
    """The unit the author's branch is placed in (the root for a branch placed nowhere)."""
    return await unit_store.unit_of_branch(db, submission.branch_id)


@dataclass(frozen=True)
class UnitOfficers(_Routed):
    """The officers of one unit (the root's are the county's admins too) other than the author; `unit_of` says
    which unit."""

    unit_of: UnitOf = branch_unit

    async def route(self, svc: Services, db: Conn, submission: Submission) -> Route:
        return await unit_deciders(svc, db, await self.unit_of(svc, db, submission),
                                   await members.get(db, submission.author_id))

    async def _candidates(self, svc: Services, telegram_id: int, kinds: Sequence[str]) -> list[Submission] | None:
        return await _under_officer(svc, telegram_id, kinds)


BRANCH_APPROVERS = BranchDeciders()
