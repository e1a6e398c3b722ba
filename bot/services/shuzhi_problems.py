"""The 问题清单 of a 述职评议, problem by problem, on the one follow-up mechanism (bot/services/followthrough.py):
the officer writes the list (one line a problem) and sends it; the secretary drafts an 整改方案 for each by a
deadline (reminded before it, the officers told when it passes); the officers approve it; the secretary hands in what
was done (整改材料), and the officers' approval is the 销号. Each quarter the unit's officers are reminded to check
the problems still open; those still open when the next year's round opens are carried into it (bot/services/shuzhi.py).

Plans and evidence are drafted like everything handed in (bot/services/drafts.py) and reviewed by the officers of
the unit that opened the round (the one review mechanism). Evidence for a problem already closed is refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import shuzhi as cb
from bot.domain import dates
from bot.domain import followup as rules
from bot.domain import shuzhi as shuzhi_rules
from bot.domain.followup import Followup, ItemKind
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import Decision, Submission, SubmissionStatus
from bot.domain.roles import APPROVER_ROLES
from bot.domain.shuzhi import Cycle, Report
from bot.errors import UserError
from bot.features import Feature
from bot.keys import Key, refs
from bot.keys import supervision as keys
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, drafts, followthrough, membership, notify, units
from bot.services.drafts import DraftKind
from bot.services.filing import officer_ids
from bot.services.review import ReviewKind
from bot.services.reviewers import UnitOfficers
from storage import audit, branches, conversations, marks, members, outbox, submissions
from storage import followups as items
from storage import shuzhi as store
from storage import units as unit_store
from storage.connection import Conn

PLAN, EVIDENCE = "rectify_plan", "rectify_evidence"
PROBLEMS_FORM = "shuzhi_problems"
CHECK = "shuzhi.check"
PAGE = 20


async def officer_report(svc: Services, telegram_id: int, report_id: int) -> tuple[Report, Cycle]:
    """A branch's part in a round of a unit in the officer's subtree (a write: nobody else)."""
    report = await store.get_report(svc.db, report_id)
    cycle = await store.get_cycle(svc.db, report.cycle_id) if report else None
    if report is None or cycle is None:
        raise UserError("common/stale.j2")
    await units.unit_in_scope(svc, telegram_id, cycle.unit_id)
    return report, cycle


async def attempt(db: Conn, kind: str, ref: Key, item_id: int) -> tuple[int, Submission | None]:
    """(which attempt a new draft is, the latest draft of it): a turned-down draft is followed by a fresh one."""
    found = await submissions.with_ref_prefix(db, kind, ref.scope(item_id))
    if not found:
        return 1, None
    latest = max(found, key=lambda s: (ref.read(s.ref).attempt, s.id))
    number = ref.read(latest.ref).attempt
    return (number + 1, None) if latest.status is SubmissionStatus.REJECTED else (number, latest)


async def describe_item(svc: Services, item: Followup) -> dict:
    """A problem as lists show it: its words, where it stands (a plan waiting for the officers included)."""
    _, plan = await attempt(svc.db, PLAN, keys.plan_ref, item.id)
    waiting = plan is not None and plan.status is SubmissionStatus.SUBMITTED
    branch = await branches.get(svc.db, item.branch_id)
    return {**followthrough.describe(item, svc.settings.tz, svc.now()),
            "step": rules.step(item, plan_waiting=waiting).value, "branch": branch.name if branch else ""}


async def problems_of(svc: Services, report: Report) -> list[dict]:
    return [await describe_item(svc, item) for item in await items.of_sources(svc.db, [keys.shuzhi_source(report.id)])]


async def carried_of(svc: Services, report: Report) -> list[dict]:
    """The branch's problems of earlier years carried into this round and still open."""
    return [await describe_item(svc, item)
            for item in await items.carried_into(svc.db, [keys.shuzhi_source(report.id)]) if item.is_open]


# --- the officer writes and sends the list --------------------------------------------------------------------------

async def begin_problems(svc: Services, telegram_id: int, report_id: int) -> dict:
    """➕ 问题清单: the next message holds problems, one a line."""
    report, _ = await officer_report(svc, telegram_id, report_id)
    branch = await branches.get(svc.db, report.branch_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, PROBLEMS_FORM, "lines", {"report_id": report.id}, svc.now())
    return {"branch": branch.name, "max": shuzhi_rules.PROBLEMS_MAX, "line_max": shuzhi_rules.PROBLEM_MAX}


async def problems_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> int:
    """The lines are kept as the branch's problems (numbered after those already listed); the report's id."""
    report, cycle = await officer_report(svc, telegram_id, int(data["report_id"]))
    source = keys.shuzhi_source(report.id)
    listed = await items.of_sources(svc.db, [source])
    try:
        lines = shuzhi_rules.parse_problems(text or "", len(listed))
    except shuzhi_rules.ProblemsRefused as refused:
        raise UserError("shuzhi/bad_problems.j2", reason=refused.reason, line=refused.line, length=refused.length,
                        max=shuzhi_rules.PROBLEMS_MAX, line_max=shuzhi_rules.PROBLEM_MAX) from None
    first = max((i.seq for i in listed), default=0) + 1
    async with svc.db.write() as db:
        for number, line in enumerate(lines, start=first):
            await followthrough.open_item(svc, db, kind=ItemKind.PROBLEM, source=source, seq=number,
                                          branch_id=report.branch_id, unit_id=cycle.unit_id, member_id=None,
                                          reason=line, by=telegram_id, year=cycle.year)
        await conversations.clear(db, telegram_id)
    return report.id


async def send_problems(svc: Services, telegram_id: int, report_id: int) -> int:
    """📤 发出问题清单: the secretaries get the list, each problem without a plan with its button; the plans are due
    in PLAN_DAYS, with reminders before and the officers told when it passes."""
    report, cycle = await officer_report(svc, telegram_id, report_id)
    listed = await items.of_sources(svc.db, [keys.shuzhi_source(report.id)])
    if not listed:
        raise UserError("shuzhi/no_problems.j2")
    now, tz = svc.now(), svc.settings.tz
    due = shuzhi_rules.plan_due(now, tz)
    async with svc.db.write() as db:
        await store.problems_sent(db, report.id, now, due)
        needing = [i for i in listed if rules.may_plan(i)]
        await items.set_deadline(db, [i.id for i in needing], due)
        for item in needing:
            await _plan_plan_reminders(svc, db, await items.get(db, item.id), now)
        message = Outgoing(template="shuzhi/problems.j2",
                           params={"year": cycle.year, "problems": [await describe_item(svc, i) for i in listed],
                                   "due": dates.full_day(rules.last_day(due, tz))},
                           buttons=[[button("shuzhi/plan", cb.plan(i.id), seq=i.seq)] for i in needing])
        for person in await members.with_role(db, report.branch_id, APPROVER_ROLES):
            await notify.to_member(svc, db, person, message, kind="shuzhi.problems",
                                   key=keys.problems(report.id, now, person.id))
        await audit.record(db, now=now, action="shuzhi.problems_sent", branch_id=report.branch_id, actor_id=None,
                           subject=refs.branch(report.branch_id), by=telegram_id, problems=len(listed))
    svc.wake_outbox()
    return report.id


async def _plan_plan_reminders(svc: Services, db: Conn, item: Followup, now: datetime) -> None:
    await followthrough.plan_reminders(svc, db, item, lambda days: Outgoing(
        template="shuzhi/plan_reminder.j2",
        params={"seq": item.seq, "reason": item.reason, "days": days,
                "deadline": dates.full_day(rules.last_day(item.deadline, svc.settings.tz))},
        buttons=[[button("shuzhi/plan", cb.plan(item.id), seq=item.seq)]]), now)


# --- the secretary's plan and evidence ------------------------------------------------------------------------------

async def _secretary_item(svc: Services, telegram_id: int, item_id: int) -> Followup:
    item = await items.get(svc.db, item_id)
    if item is None or item.kind is not ItemKind.PROBLEM:
        raise UserError("common/stale.j2")
    await membership.approver(svc, telegram_id, item.branch_id)
    return item


async def _content(svc: Services, item: Followup) -> dict:
    branch = await branches.get(svc.db, item.branch_id)
    return {"seq": item.seq, "problem": item.reason or "", "branch": branch.name if branch else ""}


async def start_plan(svc: Services, telegram_id: int, item_id: int) -> drafts.Draft:
    """✍️ 整改方案: the problem's plan, drafted like any submission."""
    item = await _secretary_item(svc, telegram_id, item_id)
    if item.status is not rules.FollowupStatus.OPEN:
        raise UserError("shuzhi/problem_closed.j2", closing=item.status is rules.FollowupStatus.CLOSING)
    if rules.has_plan(item):
        raise UserError("shuzhi/plan_done.j2", seq=item.seq)
    number, _ = await attempt(svc.db, PLAN, keys.plan_ref, item.id)
    return await drafts.start(svc, PLAN_DRAFT, telegram_id, ref=keys.plan_ref(item.id, number),
                              content=await _content(svc, item))


async def start_evidence(svc: Services, telegram_id: int, item_id: int) -> drafts.Draft:
    """📎 整改材料: what was done, handed in for 销号 — refused politely once the problem is closed."""
    item = await _secretary_item(svc, telegram_id, item_id)
    if item.status is not rules.FollowupStatus.OPEN:
        raise UserError("shuzhi/problem_closed.j2", closing=item.status is rules.FollowupStatus.CLOSING)
    if not rules.may_hand_in_evidence(item):
        raise UserError("shuzhi/plan_first.j2", seq=item.seq)
    number, _ = await attempt(svc.db, EVIDENCE, keys.evidence_ref, item.id)
    return await drafts.start(svc, EVIDENCE_DRAFT, telegram_id, ref=keys.evidence_ref(item.id, number),
                              content=await _content(svc, item))


async def _item_of(db: Conn, submission: Submission) -> Followup | None:
    found = keys.plan_ref.parse(submission.ref) or keys.evidence_ref.parse(submission.ref)
    return await items.get(db, found.followup) if found else None


async def _item_unit(svc: Services, db: Conn, submission: Submission) -> int | None:
    """Whose officers review a problem's plan or evidence: the unit that opened the round."""
    item = await _item_of(db, submission)
    return item.unit_id if item else None


async def _plan_submitted(svc: Services, db: Conn, submission: Submission) -> None:
    """A plan handed in: the reminders for it are no longer owed (it comes back if turned down)."""
    item = await _item_of(db, submission)
    if item is None or not rules.may_plan(item):
        raise UserError("shuzhi/plan_done.j2", seq=item.seq if item else 0)
    await followthrough.withdraw_reminders(svc, db, item)


async def _plan_decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """通过: the plan stands and the problem is being carried out; else it is owed again by its deadline."""
    item = await _item_of(db, submission)
    if item is None:
        return
    if decision is Decision.APPROVE:
        await followthrough.set_plan(svc, db, item, submission.id, None, actor_id=None)
    else:
        await _plan_plan_reminders(svc, db, item, svc.now())


async def _evidence_submitted(svc: Services, db: Conn, submission: Submission) -> None:
    """Evidence handed in asks for 销号; a problem closed meanwhile takes none (the whole hand-in is undone)."""
    item = await _item_of(db, submission)
    if item is None or await followthrough.hand_in(svc, db, item, evidence_id=submission.id,
                                                   actor_id=submission.author_id) is None:
        raise UserError("shuzhi/problem_closed.j2", closing=item is not None and not item.is_open)


async def _evidence_decided(svc: Services, db: Conn, submission: Submission, decision: Decision) -> None:
    """通过 is the 销号; 退回 or 驳回 leaves the problem open for more to be done."""
    item = await _item_of(db, submission)
    if item is not None:
        await followthrough.decide(svc, db, item, decision is Decision.APPROVE, None)


PLAN_DRAFT = DraftKind(kind=PLAN, text_max=5000, ask="shuzhi/ask_plan.j2", on_submit=_plan_submitted)
EVIDENCE_DRAFT = DraftKind(kind=EVIDENCE, text_max=5000, ask="shuzhi/ask_evidence.j2", on_submit=_evidence_submitted)
PLAN_REVIEW = ReviewKind(kind=PLAN, card_template="shuzhi/item_card.j2", fix_hint="/shuzhi",
                         audience=UnitOfficers(unit_of=_item_unit), on_decided=_plan_decided)
EVIDENCE_REVIEW = ReviewKind(kind=EVIDENCE, card_template="shuzhi/item_card.j2", fix_hint="/shuzhi",
                             audience=UnitOfficers(unit_of=_item_unit), on_decided=_evidence_decided)


# --- the problems still open, and the quarterly check ---------------------------------------------------------------

async def open_list(svc: Services, telegram_id: int, unit_id: int, page: int) -> dict:
    """The problems still open in the unit's subtree, PAGE a page, each branch's button opening its card."""
    unit = await units.unit_in_scope(svc, telegram_id, unit_id)
    found = await items.open_in_units(svc.db, await unit_store.subtree_ids(svc.db, [unit.id]), ItemKind.PROBLEM)
    pages = max(1, -(-len(found) // PAGE))
    page = min(max(page, 0), pages - 1)
    shown = [await describe_item(svc, item) for item in found[page * PAGE:(page + 1) * PAGE]]
    rows: list[list[Button]] = []
    for item in found[page * PAGE:(page + 1) * PAGE]:
        report = keys.shuzhi_source.parse(item.source)
        if report is not None and not any(r[0].data == cb.report(report.report) for r in rows):
            branch = await branches.get(svc.db, item.branch_id)
            rows.append([button("shuzhi/branch", cb.report(report.report), branch=branch.name)])
    nav = [button("shuzhi/prev", cb.open_list(unit.id, page - 1))] if page > 0 else []
    nav += [button("shuzhi/next", cb.open_list(unit.id, page + 1))] if page < pages - 1 else []
    return {"unit": unit.name, "items": shown, "total": len(found), "page": page, "pages": pages,
            "buttons": rows + ([nav] if nav else [])}


async def plan_checks(svc: Services, now: datetime) -> None:
    """Tick, once a day: each unit with problems opened before this quarter and still open has its officers'
    quarterly check planned (one row per officer and quarter: planning again changes nothing)."""
    tz = svc.settings.tz
    today = now.astimezone(ZoneInfo(tz)).date()
    mark = keys.checks_planned(today)
    if not await marks.missing(svc.db, [mark]):
        return
    year, quarter = rules.quarter_of(today)
    start = rules.quarter_start(year, quarter, tz)
    following = rules.quarter_start(*((year + 1, 1) if quarter == 4 else (year, quarter + 1)), tz)
    counts = await items.open_by_unit(svc.db, ItemKind.PROBLEM, start)
    async with svc.db.write() as db:
        if not await marks.claim(db, mark, now):
            return
        for unit_id, count in counts.items():
            unit = await unit_store.get(db, unit_id)
            message = Outgoing(template="shuzhi/check.j2",
                               params={"unit": unit.name, "count": count, "year": year, "quarter": quarter},
                               buttons=[[button("shuzhi/open_list", cb.open_list(unit_id, 0))]])
            for officer in await officer_ids(svc, db, unit_id):
                await outbox.upsert(db, Planned(key=keys.check(unit_id, f"{year}Q{quarter}", officer),
                                                chat_id=officer, kind=CHECK, payload=message,
                                                due_at=max(start, now), expires_at=following - timedelta(days=1)), now)
    svc.wake_outbox()


async def _still_open(svc: Services, row: OutboxRow, now: datetime) -> bool:
    unit_id = keys.check.read(row.key).unit
    return bool(await items.open_in_units(svc.db, [unit_id], ItemKind.PROBLEM))


FEATURE = Feature(name="shuzhi_problems", ticks=(plan_checks,), relevance={CHECK: _still_open},
                  review_kinds=(PLAN_REVIEW, EVIDENCE_REVIEW), drafts=(PLAN_DRAFT, EVIDENCE_DRAFT))
