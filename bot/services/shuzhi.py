"""党建述职评议 (yearly, per unit): an officer opens the round for the secretaries of the branches below with a
deadline; each secretary drafts their 述职 (text, photos, files: the shared drafting, bot/services/drafts.py) and hands
it in to the unit's officers (the one review mechanism); the officers comment (点评), grade where the unit grades
(好 / 较好 / 一般 / 差) and write the branch's 问题清单 — whose problems then follow through
(bot/services/shuzhi_problems.py). Problems a branch left open from earlier years are carried into the new round
and listed again in its 述职.

Officers act on their subtree only (every press re-checks the unit is theirs); a secretary sees their own branch's
part. The secretary's 约谈 count of the year is shown to the officers on the card where they grade, as information.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.callbacks import shuzhi as cb
from bot.domain import dates
from bot.domain import followup as item_rules
from bot.domain import shuzhi as rules
from bot.domain import yuetan as yuetan_rules
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import Submission, SubmissionStatus
from bot.domain.roles import APPROVER_ROLES, Role
from bot.domain.shuzhi import Cycle, Report
from bot.domain.units import Unit
from bot.errors import UserError
from bot.features import Feature
from bot.keys import refs
from bot.keys import supervision as keys
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, drafts, followthrough, membership, units
from bot.services import shuzhi_problems as listing
from bot.services.drafts import DraftKind
from bot.services.filing import officer_ids
from bot.services.review import ReviewKind
from bot.services.reviewers import UnitOfficers
from storage import audit, branches, conversations, members, outbox, submissions
from storage import followups as items
from storage import shuzhi as store
from storage import units as unit_store
from storage import yuetan as yuetan_store
from storage.connection import Conn

KIND = "shuzhi"
COMMENT_FORM = "shuzhi_comment"
PAGE = 20  # branches a page of a round
HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED)


async def _report_unit(svc: Services, db: Conn, submission: Submission) -> int | None:
    """Whose officers review a 述职: the unit that opened the round."""
    report = await store.get_report(db, keys.report_ref.read(submission.ref).report)
    cycle = await store.get_cycle(db, report.cycle_id) if report else None
    return cycle.unit_id if cycle else None


DRAFT = DraftKind(kind=KIND, text_max=10000, files_max=20, ask="shuzhi/ask.j2")
REVIEW = ReviewKind(kind=KIND, card_template="shuzhi/card.j2", fix_hint="/shuzhi",
                    audience=UnitOfficers(unit_of=_report_unit))


# --- who may act --------------------------------------------------------------------------------------------------

async def _own_unit(svc: Services, telegram_id: int, unit_id: int) -> Unit:
    """A unit of the officer's subtree (a write: inspectors and everyone else are refused)."""
    return await units.unit_in_scope(svc, telegram_id, unit_id)


# --- /shuzhi ------------------------------------------------------------------------------------------------------

@dataclass
class UnitRound:
    unit: Unit
    year: int
    cycle: Cycle | None
    handed_in: int = 0
    total: int = 0
    open_problems: int = 0


@dataclass
class Home:
    rounds: list[UnitRound]
    own: dict | None  # the secretary's own branch's part, when they are one
    buttons: list[list[Button]]


async def home(svc: Services, telegram_id: int) -> Home:
    """/shuzhi: an officer's units and this year's round of each; a secretary's own branch's part."""
    year = rules.year_of(svc.now(), svc.settings.tz)
    rounds, rows = [], []
    scope = await units.officer_scope(svc, telegram_id)
    for unit_id in scope:
        unit = await unit_store.get(svc.db, unit_id)
        cycle = await store.cycle_for(svc.db, unit_id, year)
        shown = UnitRound(unit, year, cycle)
        if cycle is None:
            rows.append([button("shuzhi/start", cb.start(unit_id), unit=unit.name, year=year)])
        else:
            reports = await store.reports_of(svc.db, cycle.id)
            shown.total = len(reports)
            shown.handed_in = sum([await _handed_in(svc, r) is not None for r in reports])
            shown.open_problems = len(await items.open_in_units(svc.db, [unit_id], item_rules.ItemKind.PROBLEM))
            rows.append([button("shuzhi/round", cb.cycle(cycle.id, 0), unit=unit.name, year=year)])
        rows.append([button("shuzhi/open_list", cb.open_list(unit_id, 0), unit=unit.name if len(scope) > 1 else None)])
        rounds.append(shown)
    own = await own_part(svc, telegram_id)
    if own is not None:
        rows += own["buttons"]
    if not rounds and own is None:
        raise UserError("shuzhi/not_allowed.j2")
    return Home(rounds, own, rows)


async def own_part(svc: Services, telegram_id: int) -> dict | None:
    """A secretary's (or deputy's) branch in its latest round: the 述职's state, the problems and what to do next."""
    member = await membership.member_of(svc, telegram_id)
    if member is None or not member.is_approver:
        return None
    found = await store.reports_of_branch(svc.db, member.branch_id)
    if not found:
        return {"report": None, "buttons": [], "problems": []}
    report, cycle = found[0]
    submission = await latest_of(svc, report)
    rows = []
    if submission is None or submission.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        rows.append([button("shuzhi/write", cb.write(report.id), year=cycle.year)])
    problems = await listing.problems_of(svc, report) if report.problems_sent else []
    carried = await listing.carried_of(svc, report)
    for item in [*problems, *carried]:
        step = item["step"]
        if step == item_rules.Step.PLAN:
            rows.append([button("shuzhi/plan", cb.plan(item["id"]), seq=item["seq"])])
        elif step == item_rules.Step.EVIDENCE:
            rows.append([button("shuzhi/evidence", cb.evidence(item["id"]), seq=item["seq"])])
    unit = await unit_store.get(svc.db, cycle.unit_id)
    return {"report": report, "year": cycle.year, "unit": unit.name, "deadline": item_rules.last_day(
        cycle.deadline, svc.settings.tz), "status": submission.status.value if submission else None,
        "grade": report.grade.value if report.grade else None, "comment": report.comment, "problems": problems,
        "carried": carried, "buttons": rows}


async def latest_of(svc: Services, report: Report) -> Submission | None:
    """The branch's 述职 in the round: the one furthest along (a secretary's or a deputy's)."""
    found = await submissions.for_ref(svc.db, KIND, keys.report_ref(report.id))
    order = [SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED, SubmissionStatus.DRAFT]
    found = [s for s in found if s.status in order]
    return min(found, key=lambda s: (order.index(s.status), -s.id)) if found else None


async def _handed_in(svc: Services, report: Report) -> Submission | None:
    latest = await latest_of(svc, report)
    return latest if latest is not None and latest.status in HANDED_IN else None


# --- opening a round ----------------------------------------------------------------------------------------------

async def ask_graded(svc: Services, telegram_id: int, unit_id: int) -> dict:
    """发起: first, whether the unit grades this year."""
    unit = await _own_unit(svc, telegram_id, unit_id)
    year = rules.year_of(svc.now(), svc.settings.tz)
    if await store.cycle_for(svc.db, unit.id, year) is not None:
        raise UserError("shuzhi/already_open.j2", unit=unit.name, year=year)
    return {"unit": unit.name, "year": year, "branches": len(await unit_store.branches_under(svc.db, [unit.id])),
            "buttons": [[button("shuzhi/graded", cb.graded(unit.id, g), graded=g) for g in (1, 0)]]}


async def ask_deadline(svc: Services, telegram_id: int, unit_id: int, graded: int) -> dict:
    unit = await _own_unit(svc, telegram_id, unit_id)
    if graded not in (0, 1):
        raise UserError("common/stale.j2")
    return {"unit": unit.name, "graded": bool(graded), "year": rules.year_of(svc.now(), svc.settings.tz),
            "buttons": [[button("shuzhi/days", cb.go(unit.id, graded, days), days=days)
                         for days in rules.DEADLINE_CHOICES]]}


async def open_cycle(svc: Services, telegram_id: int, unit_id: int, graded: int, days: int) -> dict:
    """The round opens: every branch of the unit's subtree takes part, its secretaries are told (and reminded
    before the deadline), and the problems it left open in earlier years are carried into it."""
    unit = await _own_unit(svc, telegram_id, unit_id)
    if days not in rules.DEADLINE_CHOICES or graded not in (0, 1):
        raise UserError("common/stale.j2")
    now, tz = svc.now(), svc.settings.tz
    year = rules.year_of(now, tz)
    async with svc.db.write() as db:
        cycle = await store.create_cycle(db, unit_id=unit.id, year=year, graded=bool(graded),
                                         deadline=rules.report_deadline(now, tz, days), opened_by=telegram_id, now=now)
        if cycle is None:
            raise UserError("shuzhi/already_open.j2", unit=unit.name, year=year)
        under = await unit_store.branches_under(db, [unit.id])
        await store.add_reports(db, cycle.id, [b.id for b in under])
        for report in await store.reports_of(db, cycle.id):
            carried = await followthrough.carry(svc, db, report.branch_id, keys.shuzhi_source(report.id))
            await _tell_secretaries(svc, db, cycle, report, unit, len(carried))
        await audit.record(db, now=now, action="shuzhi.open", branch_id=None, actor_id=None,
                           subject=refs.unit(unit.id), by=telegram_id, year=year, branches=len(under))
        await _plan_late_notice(svc, db, cycle, now)
    svc.wake_outbox()
    return await round_view(svc, telegram_id, cycle.id, 0)


async def _tell_secretaries(svc: Services, db: Conn, cycle: Cycle, report: Report, unit: Unit, carried: int) -> None:
    """The round's notice, with the button that writes the 述职, and its reminders before the deadline."""
    tz, now = svc.settings.tz, svc.now()
    info = {"unit": unit.name, "year": cycle.year, "deadline": dates.full_day(item_rules.last_day(cycle.deadline, tz)),
            "carried": carried}
    write = [[button("shuzhi/write", cb.write(report.id), year=cycle.year)]]
    wanted = []
    for person in await members.with_role(db, report.branch_id, APPROVER_ROLES):
        if person.telegram_id is None:
            continue
        wanted.append(Planned(key=keys.opened(cycle.id, report.branch_id, person.id), chat_id=person.telegram_id,
                              kind="shuzhi.opened", due_at=now, branch_id=person.branch_id, member_id=person.id,
                              payload=Outgoing(template="shuzhi/opened.j2", params=info, buttons=write)))
        wanted += [Planned(key=keys.report_reminder(cycle.id, days, cycle.deadline, report.branch_id, person.id),
                           chat_id=person.telegram_id, kind="shuzhi.remind", due_at=at, expires_at=cycle.deadline,
                           branch_id=person.branch_id, member_id=person.id,
                           payload=Outgoing(template="shuzhi/reminder.j2", params={**info, "days": days},
                                            buttons=write))
                   for days, at in rules.reminder_times(cycle.deadline, tz, now)]
    for planned in wanted:
        await outbox.upsert(db, planned, now)


async def _plan_late_notice(svc: Services, db: Conn, cycle: Cycle, now: datetime) -> None:
    """At the deadline the unit's officers hear whether some branches have not handed in (checked when it is
    sent), with the button that opens the round."""
    unit = await unit_store.get(db, cycle.unit_id)
    message = Outgoing(template="shuzhi/late.j2", params={"unit": unit.name, "year": cycle.year},
                       buttons=[[button("shuzhi/round", cb.cycle(cycle.id, 0), unit=unit.name, year=cycle.year)]])
    await outbox.converge(db, keys.late.scope(cycle.id), [
        Planned(key=keys.late(cycle.id, cycle.deadline, officer), chat_id=officer, kind="shuzhi.late",
                due_at=cycle.deadline, payload=message) for officer in await officer_ids(svc, db, cycle.unit_id)], now)


# --- the round, and one branch's part ------------------------------------------------------------------------------

async def round_view(svc: Services, telegram_id: int, cycle_id: int, page: int) -> dict:
    """A round's branches, PAGE a page: whether each handed in, its grade and its problems."""
    cycle = await store.get_cycle(svc.db, cycle_id)
    if cycle is None:
        raise UserError("common/stale.j2")
    unit = await _own_unit(svc, telegram_id, cycle.unit_id)
    reports = await store.reports_of(svc.db, cycle.id)
    pages = max(1, -(-len(reports) // PAGE))
    page = min(max(page, 0), pages - 1)
    lines, rows = [], []
    for report in reports[page * PAGE:(page + 1) * PAGE]:
        branch = await branches.get(svc.db, report.branch_id)
        latest = await latest_of(svc, report)
        problems = await listing.problems_of(svc, report)
        lines.append({"branch": branch.name, "status": latest.status.value if latest else None,
                      "grade": report.grade.value if report.grade else None, "problems": len(problems),
                      "open": sum(p["status"] != "closed" for p in problems)})
        rows.append([button("shuzhi/branch", cb.report(report.id), branch=branch.name)])
    nav = [button("shuzhi/prev", cb.cycle(cycle.id, page - 1))] if page > 0 else []
    nav += [button("shuzhi/next", cb.cycle(cycle.id, page + 1))] if page < pages - 1 else []
    return {"unit": unit.name, "year": cycle.year, "graded": cycle.graded, "lines": lines, "page": page,
            "pages": pages, "total": len(reports), "deadline": item_rules.last_day(cycle.deadline, svc.settings.tz),
            "buttons": rows + ([nav] if nav else [])}


async def report_card(svc: Services, telegram_id: int, report_id: int) -> dict:
    """The officer's card of one branch's part: the 述职, the secretary's 约谈 count of the year (information, no
    penalty), the 点评, the grade, the problems (and those carried from earlier years), with what may be done."""
    report, cycle = await listing.officer_report(svc, telegram_id, report_id)
    branch = await branches.get(svc.db, report.branch_id)
    secretaries = await members.with_role(svc.db, report.branch_id, [Role.SECRETARY])
    since, until = yuetan_rules.year_bounds(cycle.year, svc.settings.tz)
    talks = await yuetan_store.counts(svc.db, [m.id for m in secretaries], since, until)
    latest = await latest_of(svc, report)
    problems = await listing.problems_of(svc, report)
    rows = []
    if cycle.graded:
        rows.append([button("shuzhi/grade", cb.grade(report.id, g), grade=g.value, chosen=report.grade is g)
                     for g in rules.Grade])
    rows.append([button("shuzhi/comment", cb.comment(report.id)), button("shuzhi/add_problems", cb.problems(report.id))])
    unsent = [p for p in problems if report.problems_sent is None or p["step"] == item_rules.Step.PLAN.value]
    if problems and (report.problems_sent is None or unsent):
        rows.append([button("shuzhi/send", cb.send(report.id), count=len(problems))])
    rows.append([button("shuzhi/back", cb.cycle(cycle.id, 0))])
    return {"branch": branch.name, "year": cycle.year, "graded": cycle.graded,
            "secretaries": [{"name": m.name, "yuetan": talks.get(m.id, 0),
                             "barred": rules.top_grade_barred(talks.get(m.id, 0))} for m in secretaries],
            "status": latest.status.value if latest else None,
            "text": (latest.content.get("text") or "") if latest else "", "comment": report.comment,
            "grade": report.grade.value if report.grade else None, "problems": problems,
            "carried": await listing.carried_of(svc, report), "sent": report.problems_sent is not None,
            "plan_due": item_rules.last_day(report.plan_due, svc.settings.tz) if report.plan_due else None,
            "report_id": report.id, "buttons": rows}


async def set_grade(svc: Services, telegram_id: int, report_id: int, grade: rules.Grade) -> dict:
    report, cycle = await listing.officer_report(svc, telegram_id, report_id)
    if not cycle.graded:
        raise UserError("common/stale.j2")
    async with svc.db.write() as db:
        await store.evaluate(db, report.id, officer=telegram_id, now=svc.now(), grade=grade)
        await audit.record(db, now=svc.now(), action="shuzhi.grade", branch_id=report.branch_id, actor_id=None,
                           subject=refs.branch(report.branch_id), by=telegram_id, grade=grade.value, year=cycle.year)
    return await report_card(svc, telegram_id, report_id)


async def begin_comment(svc: Services, telegram_id: int, report_id: int) -> dict:
    """✍️ 点评: the next message is the officers' comment on the branch's 述职."""
    report, _ = await listing.officer_report(svc, telegram_id, report_id)
    branch = await branches.get(svc.db, report.branch_id)
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, COMMENT_FORM, "comment", {"report_id": report.id}, svc.now())
    return {"branch": branch.name, "max": rules.COMMENT_MAX}


async def comment_typed(svc: Services, telegram_id: int, data: dict, text: str | None) -> dict:
    """The comment is kept (a new one replaces it); the card again."""
    report, cycle = await listing.officer_report(svc, telegram_id, int(data["report_id"]))
    comment = (text or "").strip()
    if not comment:
        raise UserError("shuzhi/comment_empty.j2")
    if len(comment) > rules.COMMENT_MAX:
        raise UserError("common/too_long.j2", field="shuzhi_comment", max=rules.COMMENT_MAX, length=len(comment))
    async with svc.db.write() as db:
        await store.evaluate(db, report.id, officer=telegram_id, now=svc.now(), comment=comment)
        await audit.record(db, now=svc.now(), action="shuzhi.comment", branch_id=report.branch_id, actor_id=None,
                           subject=refs.branch(report.branch_id), by=telegram_id, comment=comment, year=cycle.year)
        await conversations.clear(db, telegram_id)
    return await report_card(svc, telegram_id, report.id)


# --- the secretary's 述职 -----------------------------------------------------------------------------------------

async def start_report(svc: Services, telegram_id: int, report_id: int) -> drafts.Draft:
    """写述职: the secretary's (or deputy's) draft for the round, with the problems carried into it listed."""
    report = await store.get_report(svc.db, report_id)
    if report is None:
        raise UserError("common/stale.j2")
    await membership.approver(svc, telegram_id, report.branch_id)
    latest = await latest_of(svc, report)
    if latest is not None and latest.status is SubmissionStatus.APPROVED:
        raise UserError("shuzhi/report_done.j2")
    cycle = await store.get_cycle(svc.db, report.cycle_id)
    unit = await unit_store.get(svc.db, cycle.unit_id)
    carried = [i["reason"] for i in await listing.carried_of(svc, report)]
    return await drafts.start(svc, DRAFT, telegram_id, ref=keys.report_ref(report.id),
                              content={"year": cycle.year, "unit": unit.name, "carried": carried})


async def _not_handed_in(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A reminder goes only while the branch's 述职 is not handed in."""
    found = keys.report_reminder.parse(row.key) or keys.opened.parse(row.key)
    cycle = await store.get_cycle(svc.db, found.cycle)
    report = next((r for r in await store.reports_of(svc.db, found.cycle) if r.branch_id == found.branch), None)
    return cycle is not None and report is not None and await _handed_in(svc, report) is None


async def _some_missing(svc: Services, row: OutboxRow, now: datetime) -> bool:
    found = keys.late.read(row.key)
    return any([await _handed_in(svc, r) is None for r in await store.reports_of(svc.db, found.cycle)])


FEATURE = Feature(name="shuzhi", relevance={"shuzhi.remind": _not_handed_in, "shuzhi.late": _some_missing},
                  review_kinds=(REVIEW,), drafts=(DRAFT,))
