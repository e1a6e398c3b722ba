"""Review of what branches file (备案审阅): an officer of the unit a record was filed with (or of a unit above it)
marks it 已审阅, or 退回 with a reason — the record goes back to the branch (approved minutes are open for changes
again, and filed anew once approved again) and its secretary is told why. What is still unreviewed after its last
day (the review days, counted in the unit's working days) reminds the unit's officers once. The status shows in
/overview and in the unit's registers.

Every write re-checks, whatever the button said: an officer of the filing's unit or above, not a member of the
branch that filed it (nobody reviews their own branch's record), the record still waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.callbacks import filed as cb
from bot.domain import filing as rules
from bot.domain.filing import Filing, ReviewStatus
from bot.domain.models import Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.features import Feature
from bot.ids import MAX_ID
from bot.keys import filing as filing_keys
from bot.keys import refs
from bot.outgoing import Outgoing, button
from bot.services import Services, filing, notify, reviewers, units
from storage import audit, branches, conversations, members, outbox, submissions
from storage import filing as store
from storage import units as unit_store
from storage.connection import Conn

RETURN_FORM = "filing_return"
COMMENT_MAX = 500
LISTED = 20  # records a list or a reminder shows (and buttons it carries)
FIX_HINTS = {filing.MINUTES: "/minutes"}  # how the branch reopens a returned record of the kind


@dataclass
class Shown:
    """A filed record as an officer's card shows it."""

    filing: Filing
    branch: str
    unit: str
    arrived: str
    review_by: str
    overdue: bool
    at: str | None = None  # when it was answered
    may_decide: bool = False

    def params(self) -> dict:
        f = self.filing
        return {"id": f.id, "kind": f.kind, "title": f.title, "branch": self.branch, "unit": self.unit,
                "arrived": self.arrived, "review_by": self.review_by, "overdue": self.overdue,
                "status": f.review_status.value, "by": f.reviewed_by_name, "comment": f.review_comment,
                "at": self.at, "may_decide": self.may_decide}


def _today(svc: Services) -> date:
    return rules.local_date(svc.now(), svc.settings.tz)


async def _shown(svc: Services, db: Conn, found: Filing, may_decide: bool = False) -> Shown:
    branch = await branches.get(db, found.branch_id)
    unit = await unit_store.get(db, found.unit_id)
    review_by = found.review_by or rules.review_by(found.filed_at, svc.settings.tz)
    tz = svc.settings.tz
    return Shown(found, branch.name if branch else "", unit.name if unit else "", rules.local_time(found.filed_at, tz),
                 rules.day_label(review_by), found.overdue(_today(svc)),
                 rules.local_time(found.reviewed_at, tz) if found.reviewed_at else None, may_decide)


async def _readable(svc: Services, telegram_id: int, filing_id: int) -> Filing:
    """The filing, when it lies in this officer's subtree (whatever the button said)."""
    found = await store.get(svc.db, filing_id) if 0 < filing_id <= MAX_ID else None
    if found is None:
        raise UserError("common/stale.j2")
    await units.unit_in_scope(svc, telegram_id, found.unit_id)
    return found


async def _own_branch(svc: Services, telegram_id: int, found: Filing) -> bool:
    member = await members.by_telegram_id(svc.db, telegram_id)
    return member is not None and member.is_active and member.branch_id == found.branch_id


async def _decidable(svc: Services, telegram_id: int, filing_id: int) -> Filing:
    """The filing, when this officer may answer it now."""
    found = await _readable(svc, telegram_id, filing_id)
    if await _own_branch(svc, telegram_id, found):
        raise UserError("review/own_case.j2")
    if found.review_status is not ReviewStatus.WAITING:
        raise UserError("filing/review_already.j2", status=found.review_status.value, by=found.reviewed_by_name)
    return found


@dataclass
class Listing:
    items: list[Shown]
    waiting: int
    overdue: int


async def listing(svc: Services, telegram_id: int) -> Listing:
    """/filed: the records of the officer's subtree still waiting for review, oldest first."""
    scope = await units.require_officer(svc, telegram_id)
    waiting = await store.for_review(svc.db, await unit_store.subtree_ids(svc.db, scope), ReviewStatus.WAITING)
    shown = [await _shown(svc, svc.db, f) for f in waiting]
    return Listing(shown[:LISTED], len(shown), sum(s.overdue for s in shown))


async def card(svc: Services, telegram_id: int, filing_id: int) -> Shown:
    found = await _readable(svc, telegram_id, filing_id)
    may = found.review_status is ReviewStatus.WAITING and not await _own_branch(svc, telegram_id, found)
    return await _shown(svc, svc.db, found, may)


async def file_of(svc: Services, telegram_id: int, filing_id: int) -> tuple[str, bytes]:
    """The record's file again (the DOCX or XLSX it went up with)."""
    found = await _readable(svc, telegram_id, filing_id)
    built = await filing.file_of(svc, found)
    if built is None:
        raise UserError("filing/no_file.j2")
    return built


async def mark_reviewed(svc: Services, telegram_id: int, filing_id: int) -> Shown:
    """已审阅: recorded under the officer's name (the branch's /audit shows it)."""
    found = await _decidable(svc, telegram_id, filing_id)
    name = await reviewers.officer_name(svc, svc.db, telegram_id)
    now = svc.now()
    async with svc.db.write() as db:
        if not await store.decide_review(db, found.id, ReviewStatus.REVIEWED, telegram_id, name, None, now):
            raise UserError("filing/review_already.j2", status="answered", by=None)
        await audit.record(db, now=now, action="filing.reviewed", branch_id=found.branch_id, actor_id=None,
                           subject=refs.filing(found.id), by=telegram_id, by_name=name, title=found.title)
    return await card(svc, telegram_id, filing_id)


async def begin_return(svc: Services, telegram_id: int, filing_id: int) -> Shown:
    """退回 pressed: the reason is the officer's next message."""
    found = await _decidable(svc, telegram_id, filing_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, RETURN_FORM, "reason", {"filing_id": found.id}, svc.now())
    return await _shown(svc, svc.db, found)


def clean_reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise UserError("filing/return_reason.j2")
    if len(reason) > COMMENT_MAX:
        raise UserError("common/too_long.j2", field="filing_reason", max=COMMENT_MAX, length=len(reason))
    return reason


async def return_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> Shown:
    """The reason arrived: the record is returned, goes back to the branch (a record handed in through review is
    open for changes again) and its secretary (and the record's author) are told why."""
    reason = clean_reason(text)
    found = await _decidable(svc, telegram_id, int(data.get("filing_id", 0)))
    name = await reviewers.officer_name(svc, svc.db, telegram_id)
    now = svc.now()
    async with svc.db.write() as db:
        if not await store.decide_review(db, found.id, ReviewStatus.RETURNED, telegram_id, name, reason, now):
            raise UserError("filing/review_already.j2", status="answered", by=None)
        await audit.record(db, now=now, action="filing.returned", branch_id=found.branch_id, actor_id=None,
                           subject=refs.filing(found.id), by=telegram_id, by_name=name, comment=reason)
        await _back_to_branch(svc, db, found, name, reason, now)
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return await card(svc, telegram_id, found.id)


async def _back_to_branch(svc: Services, db: Conn, found: Filing, by: str, reason: str, now: datetime) -> None:
    people: dict[int, Member] = {m.id: m for m in await members.with_role(db, found.branch_id, APPROVER_ROLES)}
    record = refs.submission.parse(found.ref)
    fix = None
    if record is not None and await submissions.reopen(db, record.submission, reason, by, now):
        author = await members.get(db, (await submissions.get(db, record.submission)).author_id)
        if author is not None and author.is_active:
            people[author.id] = author
        fix = FIX_HINTS.get(found.kind)
    unit = await unit_store.get(db, found.unit_id)
    message = Outgoing(template="filing/returned.j2", params={
        "unit": unit.name if unit else "", "kind": found.kind, "title": found.title, "reason": reason, "by": by,
        "fix": fix})
    for person in people.values():
        await notify.to_member(svc, db, person, message, kind="filing.returned",
                               key=filing_keys.returned(found.id, now, person.id))


# --- the once-only reminder of records past their review day ------------------------------------------------------

async def remind_overdue(svc: Services, now: datetime) -> None:
    """Tick: from 08:30 each day, the officers of a unit with records past their review day get one reminder
    listing them (each record reminds once), with the button to the list."""
    day = rules.digest_day(now, svc.settings.tz)
    if day is None:
        return
    late = await store.past_review_unreminded(svc.db, rules.local_date(now, svc.settings.tz))
    by_unit: dict[int, list[Filing]] = {}
    for found in late:
        by_unit.setdefault(found.unit_id, []).append(found)
    for unit_id, found in by_unit.items():
        unit = await unit_store.get(svc.db, unit_id)
        shown = [(await _shown(svc, svc.db, f)).params() for f in found[:LISTED]]
        message = Outgoing(template="filing/review_overdue.j2",
                           params={"unit": unit.name if unit else "", "items": shown, "count": len(found)},
                           buttons=[[button("filing/review_list", cb.listing(0), count=len(found))]])
        async with svc.db.write() as db:
            await store.mark_reminded(db, [f.id for f in found], now)
            for telegram_id in await filing.officer_ids(svc, db, unit_id):
                await outbox.upsert(db, Planned(key=filing_keys.review_overdue(unit_id, day, telegram_id),
                                                chat_id=telegram_id, kind="filing.review_overdue", payload=message,
                                                due_at=now), now)
        svc.wake_outbox()


async def _still_unreviewed(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """The reminder goes out while anything it lists still waits."""
    items = row.payload.params.get("items", [])
    for item in items:
        found = await store.get(svc.db, int(item["id"]))
        if found is not None and found.review_status is ReviewStatus.WAITING:
            return True
    return False


# --- the status, for /overview and the registers ------------------------------------------------------------------

async def counts(svc: Services, branch_ids: list[int]) -> dict[int, dict[str, int]]:
    """branch id → its filings waiting (overdue among them), reviewed and returned."""
    return await store.review_counts(svc.db, branch_ids, _today(svc))


async def returned_of(svc: Services, branch_id: int, limit: int = 3) -> list[dict]:
    """The branch's latest returned records, with the reason: what its card in /overview says."""
    found = [f for f in await store.in_branches(svc.db, [branch_id]) if f.review_status is ReviewStatus.RETURNED]
    return [{"title": f.title, "comment": f.review_comment, "by": f.reviewed_by_name} for f in found[-limit:]]


FEATURE = Feature(name="filed", ticks=(remind_overdue,), relevance={"filing.review_overdue": _still_unreviewed})
