"""The one follow-up mechanism (bot/domain/followup.py) as a use case: open an item, plan it, hand in evidence,
decide its 销号, carry it into the next year — with the audit entries, the reminders before the deadline of the step
under way and the notice to the officers when it passes. Every kind of item goes through these steps:

- 不合格 members (bot/services/followups.py): the measure and deadline are the plan, a line is the evidence, an
  officer above the branch confirms;
- the 问题清单 of a 述职评议 (bot/services/shuzhi_problems.py): a drafted 整改方案 is the plan and drafted
  material the evidence, both reviewed by the unit's officers through the one review mechanism;
- 约谈 (bot/services/yuetan.py): the person's written report is the evidence, due within a month.

A kind's own module says what its messages look like and who may act; the transitions, reminders and audit are
here, once. Every transition runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain import dates
from bot.domain import followup as rules
from bot.domain.followup import Followup, FollowupStatus, ItemKind
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import APPROVER_ROLES
from bot.features import Feature
from bot.keys import filing as filing_keys
from bot.keys import refs
from bot.keys import supervision as keys
from bot.outgoing import Outgoing
from bot.services import Services
from bot.services.filing import officer_ids
from storage import audit, branches, members, outbox
from storage import followups as store
from storage.connection import Conn

# A reminder's message, given how many days are left before the deadline.
Reminder = Callable[[int], Outgoing]


def subject(item: Followup) -> str:
    """What an item's audit entries are about: the member it concerns, or the item itself (a branch's problem)."""
    return refs.member(item.member_id) if item.member_id is not None else refs.followup(item.id)


async def open_item(svc: Services, db: Conn, *, kind: ItemKind, source: str, seq: int, branch_id: int, unit_id: int,
                    member_id: int | None, reason: str | None, actor_id: int | None = None,
                    deadline: datetime | None = None, **detail: object) -> Followup | None:
    """A new item (None: the source has one at this place already), audited as opened."""
    item = await store.open_item(db, kind=kind, source=source, seq=seq, branch_id=branch_id, unit_id=unit_id,
                                 member_id=member_id, reason=reason, now=svc.now(), deadline=deadline)
    if item is not None:
        await audit.record(db, now=svc.now(), action=f"{_family(kind)}.open", branch_id=_branch(item),
                           actor_id=actor_id, subject=subject(item), followup=item.id, **detail)
    return item


def _family(kind: ItemKind) -> str:
    """The audit action's family: the 不合格 follow-ups keep the words they always had."""
    return "followup" if kind is ItemKind.UNQUALIFIED else f"followup_{kind.value}"


def _branch(item: Followup) -> int | None:
    """The branch an entry is filed under; a 约谈's items are the unit's, never shown to the branch."""
    return None if item.kind is ItemKind.YUETAN else item.branch_id


async def responsible(db: Conn, item: Followup) -> list[Member]:
    """Who carries an item out: the person a 约谈 concerns; the branch's secretaries for everything else."""
    if item.kind is ItemKind.YUETAN:
        person = await members.get(db, item.member_id) if item.member_id else None
        return [person] if person is not None and person.is_active else []
    return await members.with_role(db, item.branch_id, APPROVER_ROLES)


async def plan_reminders(svc: Services, db: Conn, item: Followup, message: Reminder, now: datetime) -> None:
    """The reminders before the item's deadline (the kind's days before, 09:00), to those who carry it out, and
    the officers' notice once it has passed: re-planned whenever the deadline moves, withdrawn without one."""
    tz = svc.settings.tz
    wanted: list[Planned] = []
    overdue: list[Planned] = []
    if item.deadline is not None and item.status is FollowupStatus.OPEN:
        people = [p for p in await responsible(db, item) if p.telegram_id is not None]
        for days, when in rules.reminder_times(item.kind, item.deadline, tz, now):
            wanted += [Planned(key=filing_keys.reminder(item.id, days, item.deadline, person.id),
                               chat_id=person.telegram_id, kind="followup.remind", due_at=when,
                               expires_at=item.deadline, branch_id=person.branch_id, member_id=person.id,
                               payload=message(days)) for person in people]
        if item.kind is not ItemKind.UNQUALIFIED:  # 不合格: the filing digest lists the overdue ones
            overdue = [Planned(key=keys.overdue(item.id, item.deadline, officer), chat_id=officer,
                               kind="followup.overdue", due_at=item.deadline, urgent=False,
                               payload=Outgoing(template="supervision/overdue.j2",
                                                params=await overdue_params(svc, db, item)))
                       for officer in await officer_ids(svc, db, item.unit_id)]
    await outbox.converge(db, filing_keys.reminder.scope(item.id), wanted, now)
    await outbox.converge(db, keys.overdue.scope(item.id), overdue, now)


async def withdraw_reminders(svc: Services, db: Conn, item: Followup) -> None:
    """The step's reminders and overdue notice are no longer owed (handed in meanwhile); `plan_reminders` brings
    them back."""
    now = svc.now()
    await outbox.converge(db, filing_keys.reminder.scope(item.id), [], now)
    await outbox.converge(db, keys.overdue.scope(item.id), [], now)


async def overdue_params(svc: Services, db: Conn, item: Followup) -> dict:
    branch = await branches.get(db, item.branch_id)
    person = await members.get(db, item.member_id) if item.member_id else None
    return {"kind": item.kind.value, "branch": branch.name if branch else "", "name": person.name if person else "",
            "reason": item.reason or "", "deadline": dates.full_day(rules.last_day(item.deadline, svc.settings.tz))}


async def set_plan(svc: Services, db: Conn, item: Followup, plan_id: int | None, deadline: datetime | None,
                   actor_id: int | None = None, officer: int | None = None) -> Followup | None:
    """The plan approved (`plan_id`), or turned down (None: to be drafted again by `deadline`)."""
    if not await store.set_plan(db, item.id, plan_id, deadline):
        return None
    await audit.record(db, now=svc.now(), action=f"{_family(item.kind)}.plan", branch_id=_branch(item),
                       actor_id=actor_id, subject=subject(item), followup=item.id, plan=plan_id, by=officer)
    return await store.get(db, item.id)


async def hand_in(svc: Services, db: Conn, item: Followup, *, note: str | None = None, evidence_id: int | None = None,
                  actor_id: int | None = None) -> Followup | None:
    """Evidence handed in: 销号 is asked of the officers; the reminders are no longer owed. None: not open."""
    now = svc.now()
    if not await store.request_close(db, item.id, note, evidence_id, now):
        return None
    await audit.record(db, now=now, action=f"{_family(item.kind)}.request_close", branch_id=_branch(item),
                       actor_id=actor_id, subject=subject(item), followup=item.id, note=note, evidence=evidence_id)
    await withdraw_reminders(svc, db, item)
    return await store.get(db, item.id)


async def decide(svc: Services, db: Conn, item: Followup, confirm: bool, officer: int | None) -> Followup | None:
    """销号 (`confirm`) or sent back (open again); None when 销号 was not being asked."""
    now = svc.now()
    if not await store.decide_close(db, item.id, confirm, officer, now):
        return None
    await audit.record(db, now=now, action=f"{_family(item.kind)}.{'closed' if confirm else 'returned'}",
                       branch_id=_branch(item), actor_id=None, subject=subject(item), followup=item.id, by=officer)
    return await store.get(db, item.id)


async def carry(svc: Services, db: Conn, branch_id: int, into: str) -> list[int]:
    """The branch's problems still open from earlier years are carried into `into` (the next 述职), audited."""
    carried = await store.carry(db, branch_id, ItemKind.PROBLEM, into)
    for item_id in carried:
        await audit.record(db, now=svc.now(), action="followup_problem.carried", branch_id=branch_id, actor_id=None,
                           subject=refs.followup(item_id), followup=item_id, into=into)
    return carried


def describe(item: Followup, tz: str, now: datetime) -> dict:
    """What every list and card says about an item, whatever its kind."""
    overdue = rules.is_overdue(item, now)
    return {"id": item.id, "kind": item.kind.value, "seq": item.seq, "reason": item.reason or "",
            "status": item.status.value, "deadline": rules.last_day(item.deadline, tz) if item.deadline else None,
            "overdue_days": (now - item.deadline).days if overdue and item.deadline else None,
            "planned": rules.has_plan(item), "carried": item.carried_into is not None}


async def _still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    item = await store.get(svc.db, filing_keys.followup.read(row.key).followup)
    return item is not None and item.status is FollowupStatus.OPEN


async def _still_closing(svc: Services, row: OutboxRow, now: datetime) -> bool:
    item = await store.get(svc.db, filing_keys.followup.read(row.key).followup)
    return item is not None and item.status is FollowupStatus.CLOSING


async def _still_overdue(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """The officers hear of a passed deadline only while the step is still not done."""
    found = keys.overdue.read(row.key)
    item = await store.get(svc.db, found.followup)
    return (item is not None and item.status is FollowupStatus.OPEN and item.deadline is not None
            and item.deadline.strftime("%Y%m%d") == found.deadline.strftime("%Y%m%d"))


STILL_OPEN, STILL_CLOSING = _still_open, _still_closing

FEATURE = Feature(name="followthrough", relevance={"followup.remind": _still_open, "followup.opened": _still_open,
                                                   "followup.confirm": _still_closing,
                                                   "followup.overdue": _still_overdue})
