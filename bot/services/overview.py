"""Oversight for an officer of a unit (县委组织部, a township 党委 …): /overview of every branch in their subtree,
worst first and paged, a branch card, the compliance heat map and attendance charts, and the officer's weekly
digest of silent and endangered branches. Every figure comes from a handful of aggregate queries over the subtree
(storage/overview.py); every view re-checks that the officer may see it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import overview as cb
from bot.domain import cadence as rules
from bot.domain import dates
from bot.domain import overview as domain
from bot.domain import policy as policy_rules
from bot.domain import units as units_rules
from bot.domain.meetings import KIND_LABELS
from bot.domain.minutes import MeetingRules
from bot.domain.outbox import Planned
from bot.domain.overview import BranchFigures
from bot.domain.quiet import parse_hhmm
from bot.domain.units import ROOT_ID, Unit
from bot.errors import UserError
from bot.features import Feature
from bot.keys import digests as digest_keys
from bot.outgoing import Outgoing, button
from bot.render import render, word
from bot.services import Services, filing_review, inspectors, membership, officer_notices, policy, workdays
from bot.services.tasks import progress as task_progress
from storage import branches, marks, outbox
from storage import overview as store
from storage import units as unit_store

FILTERS = ("all", "alert")
DIGEST_WEEKDAY, DIGEST_TIME = 0, "08:30"  # Monday morning, the deployment's time zone
DIGEST_NAMES_MAX = 30  # names listed per section; the button opens the rest


def _range(now: datetime, tz: str) -> tuple[datetime, datetime]:
    """Meetings that the current quarter's compliance, the theme day and overdue minutes need: from the start of
    the half-year (half-yearly cadences are judged over it) or 120 days back, to the end of the year."""
    today = rules.local_day(now, tz)
    half_start = rules.half(today.year, 1 if today.month <= 6 else 2).start
    since = min(rules.local_midnight(half_start, tz), now - timedelta(days=domain.MINUTES_LOOKBACK_DAYS))
    return since - timedelta(days=1), rules.local_midnight(rules.whole_year(today.year).end, tz) + timedelta(days=1)


async def figures_under(svc: Services, roots: list[int], now: datetime) -> list[BranchFigures]:
    since, until = _range(now, svc.settings.tz)
    facts = await store.subtree_facts(svc.db, roots, now, since, until)
    ids = [row.id for row in facts.branches]
    facts.layers = await workdays.layers_by_branch(svc.db, ids, now.date())
    facts.rules = await policy.rules_by_branch(svc.db, facts.rules, ids)  # each judged by its units' policy
    return domain.figures(facts, svc.settings.tz, now)


@dataclass
class OverviewPage:
    units: list[Unit]
    filter: str
    page: int
    pages: int
    items: list[BranchFigures]
    total: int  # branches in the subtree
    shown: int  # after the filter
    silent: int
    at_risk: int
    overdue: int
    kind_labels: dict
    read_only: bool = False  # an inspector's: no notice to send
    filed: dict[str, int] = field(default_factory=dict)  # the subtree's filed records: waiting, overdue, returned
    tasks_late: int = 0  # branches still owing a task from above past its deadline (one per branch and task)


async def _filed_totals(svc: Services, everything: list[BranchFigures]) -> dict[str, int]:
    totals = {"waiting": 0, "overdue": 0, "reviewed": 0, "returned": 0}
    for counts in (await filing_review.counts(svc, [f.branch.id for f in everything])).values():
        for key, count in counts.items():
            totals[key] += count
    return totals


async def _scope_units(svc: Services, scope: list[int]) -> list[Unit]:
    return [u for u in [await unit_store.get(svc.db, unit_id) for unit_id in scope] if u is not None]


async def overview(svc: Services, telegram_id: int, filter_: str = "all", page: int = 0) -> OverviewPage:
    """/overview: the officer's (or inspector's) branches, worst first, 10 a page; 'alert' keeps the silent and
    endangered only."""
    scope = await inspectors.require_reader(svc, telegram_id, "overview")
    return await page_under(svc, scope, filter_, page, await inspectors.read_only(svc, telegram_id))


async def page_under(svc: Services, scope: list[int], filter_: str = "all", page: int = 0,
                     read_only: bool = False) -> OverviewPage:
    """The branches under these units, worst first, a page of them (whoever asks was checked by the caller: an
    officer of the units, or the city's or province's roll-up over the county)."""
    if filter_ not in FILTERS:
        raise UserError("common/stale.j2")
    everything = await figures_under(svc, scope, svc.now())
    chosen = [f for f in everything if f.alert] if filter_ == "alert" else everything
    items, page, pages = domain.page_of(chosen, page)
    return OverviewPage(await _scope_units(svc, scope), filter_, page, pages, items, len(everything), len(chosen),
                        sum(f.silent for f in everything), sum(bool(f.at_risk) for f in everything),
                        sum(f.minutes_overdue for f in everything), {k.value: v for k, v in KIND_LABELS.items()},
                        read_only, await _filed_totals(svc, everything),
                        sum(len(titles) for titles in (await task_progress.overdue_counts(
                            svc, [f.branch.id for f in everything], svc.now())).values()))


@dataclass
class BranchCard:
    figures: BranchFigures
    kind_labels: dict
    rules: dict[str, tuple[str, str]]  # kind → (its cadence in force, the unit whose rule it is; "" the branch's own)
    filed: dict[str, int] = field(default_factory=dict)  # its filed records by review status
    returned: list[dict] = field(default_factory=list)  # the latest returned ones, with the reason
    tasks_late: list[str] = field(default_factory=list)  # the tasks from above it owes past their deadline


async def branch_card(svc: Services, telegram_id: int, branch_id: int) -> BranchCard:
    unit_id = await inspectors.readable_branch(svc, telegram_id, branch_id, "branch")
    return await card_under(svc, unit_id, branch_id)


async def card_under(svc: Services, unit_id: int, branch_id: int) -> BranchCard:
    """The card of a branch under this unit (whoever asks was checked by the caller)."""
    found = [f for f in await figures_under(svc, [unit_id], svc.now()) if f.branch.id == branch_id]
    if not found:
        raise UserError("units/out_of_scope.j2")
    branch = await branches.get(svc.db, branch_id)
    in_force = await policy.branch_rulings(svc.db, branch)
    shown = {field.removeprefix("cadence_"): (policy.value_label(field, in_force[field].code),
                                              await policy.source_name(svc.db, in_force[field]))
             for field in policy_rules.CADENCE_FIELDS}
    counts = (await filing_review.counts(svc, [branch_id])).get(branch_id, {})
    late = (await task_progress.overdue_counts(svc, [branch_id], svc.now())).get(branch_id, [])
    return BranchCard(found[0], {k.value: v for k, v in KIND_LABELS.items()}, shown, counts,
                      await filing_review.returned_of(svc, branch_id), late)


def _month_labels(months: list) -> list[str]:
    return [dates.month(m) if i and m.month != 1 else dates.short_year_month(m.year, m.month) for i, m in enumerate(months)]


async def _attendance_png(svc: Services, branch_id: int) -> tuple[bytes, str]:
    """12 months of one branch's attendance as a bar chart (one meetings query, rendered in a thread)."""
    branch = await branches.get(svc.db, branch_id)
    tz = branch.tz or svc.settings.tz
    now = svc.now()
    months = domain.last_months(rules.local_day(now, tz))
    since = rules.local_midnight(months[0], tz)
    rows = await store.branch_rows(svc.db, [await unit_store.unit_of_branch(svc.db, branch_id)], now)
    active = next((r.active for r in rows if r.id == branch_id), 0)
    meetings = (await store.meeting_rows(svc.db, [await unit_store.unit_of_branch(svc.db, branch_id)], since,
                                         now + timedelta(seconds=1))).get(branch_id, [])
    rates = domain.attendance_by_month(meetings, months, tz, now, active)
    title = word("overview/attendance_title", branch=branch.name)
    return await asyncio.to_thread(_chart, "attendance_chart", title, _month_labels(months), rates), branch.name


async def attendance_chart_for_officer(svc: Services, telegram_id: int, branch_id: int) -> tuple[bytes, str]:
    await inspectors.readable_branch(svc, telegram_id, branch_id, "chart")
    return await _attendance_png(svc, branch_id)


async def attendance_chart_for_member(svc: Services, telegram_id: int) -> tuple[bytes, str]:
    """/attendance 图表: the committee's own branch."""
    actor = await membership.active_member(svc, telegram_id)
    if not actor.is_committee:
        raise UserError("common/not_allowed.j2")
    return await _attendance_png(svc, actor.branch_id)


@dataclass
class Heatmap:
    png: bytes
    page: int
    pages: int
    total: int


async def heatmap(svc: Services, telegram_id: int, page: int = 0) -> Heatmap:
    """Branches × the last 12 months, 40 branches an image, in /overview's worst-first order."""
    scope = await inspectors.require_reader(svc, telegram_id, "heatmap")
    now = svc.now()
    tz = svc.settings.tz
    order = await figures_under(svc, scope, now)
    chosen, page, pages = domain.page_of(order, page, domain.GRID_ROWS)
    months = domain.last_months(rules.local_day(now, tz))
    grid = await grid_of(svc, scope, chosen, months, now)
    names = [f.branch.name for f in chosen]
    title = word("overview/heatmap_title", units=[u.name for u in await _scope_units(svc, scope)], page=page + 1,
                 pages=pages)
    png = await asyncio.to_thread(_chart, "compliance_heatmap", title, names, _month_labels(months), grid,
                                  render("overview/heatmap_legend.j2"))
    return Heatmap(png, page, pages, len(order))


async def grid_of(svc: Services, scope: list[int], chosen: list[BranchFigures], months: list,
                  now: datetime) -> list[list[float | None]]:
    """Each chosen branch's share of requirements met, month by month (the heat map's rows)."""
    half_start = rules.half(months[0].year, 1 if months[0].month <= 6 else 2).start
    facts = await store.subtree_facts(svc.db, scope, now,
                                      # a week of 专题学习 may begin before the first month
                                      rules.local_midnight(half_start, svc.settings.tz) - timedelta(days=8),
                                      now + timedelta(days=200))
    facts.rules = await policy.rules_by_branch(svc.db, facts.rules, [f.branch.id for f in chosen])
    layers = await workdays.layers_by_branch(svc.db, [f.branch.id for f in chosen], now.date())
    return [domain.compliance_grid(f.branch, facts.meetings.get(f.branch.id, []),
                                   facts.rules.get(f.branch.id) or MeetingRules(), facts.groups.get(f.branch.id, []),
                                   f.tz, now, months, layers.get(f.branch.id, ())) for f in chosen]


def month_labels(months: list) -> list[str]:
    return _month_labels(months)


# --- the officer's weekly digest ---------------------------------------------------------------------------------

def digest_week(now: datetime, tz: str) -> str | None:
    """The ISO week ('2026-W48') once its digest is due (Monday 08:30 local onwards), else None (pure)."""
    local = now.astimezone(ZoneInfo(tz))
    if local.weekday() == DIGEST_WEEKDAY and local.time().replace(tzinfo=None) < parse_hhmm(DIGEST_TIME):
        return None
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"



async def _officer_units(svc: Services) -> dict[int, set[int]]:
    """officer → the units they oversee: ZHIBU_ADMINS the root, everyone else their stored units."""
    found: dict[int, set[int]] = {admin: {ROOT_ID} for admin in svc.settings.admins}
    for unit_id, officer in await store.officers(svc.db):
        found.setdefault(officer, set()).add(unit_id)
    return found


@dataclass
class DigestSection:
    unit: Unit
    alerts: list[BranchFigures]


def _digest_message(sections: list[DigestSection], tasks: list[dict] | None = None) -> Outgoing:
    shown = []
    for section in sections:
        silent = [f.branch.name for f in section.alerts if f.silent]
        risky = [(f.branch.name, [KIND_LABELS[k] for k in f.at_risk]) for f in section.alerts if f.at_risk]
        shown.append({"unit": section.unit.name, "silent": silent[:DIGEST_NAMES_MAX], "silent_count": len(silent),
                      "risky": risky[:DIGEST_NAMES_MAX], "risky_count": len(risky)})
    count = sum(len(section.alerts) for section in sections)
    return Outgoing(template="overview/digest.j2", params={"sections": shown, "days": domain.SILENT_DAYS,
                                                           "tasks": tasks or []},
                    buttons=[[button("overview/open_alerts", cb.page("alert", 0), count=count)]])


async def _already_sent_this_week(svc: Services, officers: dict[int, set[int]], week: str) -> set[int]:
    """Officers who got a per-unit digest this week before digests became one per officer (the week of the
    upgrade). Their week counts as done: a second, combined message days after the first would be noise, and the
    units the old digest did not cover are in /overview all the same; next week's digest covers them all."""
    old = {digest_keys.officer_unit(unit_id, officer, week): officer
           for officer, chosen in officers.items() for unit_id in chosen}
    return {old[key] for key in set(old) - await marks.missing(svc.db, list(old))}


async def send_officer_digests(svc: Services, now: datetime) -> None:
    """Tick: once a week per officer, one message naming, unit by unit, the silent branches and those about to miss
    a cadence, with the button that opens them; nothing when all is well. A unit under another of the officer's
    units is the latter's section already (no branch is named twice). The mark makes it once a week."""
    week = digest_week(now, svc.settings.tz)
    if week is None:
        return
    officers = await _officer_units(svc)
    due = {digest_keys.officer(officer, week): officer for officer in officers}
    pending = await marks.missing(svc.db, list(due))
    if not pending:
        return
    done_before = await _already_sent_this_week(svc, {due[key]: officers[due[key]] for key in pending}, week)
    tree = {u.id: u for u in await unit_store.every(svc.db)}
    parents = {unit_id: unit.parent_id for unit_id, unit in tree.items()}
    alerts_under: dict[int, list[BranchFigures]] = {}
    for key in sorted(pending):
        officer = due[key]
        sections = []
        for root in units_rules.outermost(officers[officer], parents):
            if root not in alerts_under:
                alerts_under[root] = [f for f in await figures_under(svc, [root], now) if f.alert]
            if alerts_under[root]:
                sections.append(DigestSection(tree[root], alerts_under[root]))
        late = await task_progress.overdue_for_units(svc, sorted(officers[officer]), now)
        async with svc.db.write() as db:
            if not await marks.claim(db, key, now) or officer in done_before or not (sections or late):
                continue
            await outbox.upsert(db, Planned(key=key, chat_id=officer, kind="overview.digest",
                                            payload=_digest_message(sections, late), due_at=now,
                                            expires_at=now + timedelta(days=7)), now)
        svc.wake_outbox()


FEATURE = Feature(name="overview", ticks=(send_officer_digests,),
                  relevance={"overview.notice": officer_notices.STILL_UNREAD,
                             "onotice.nudge": officer_notices.STILL_UNREAD})


def _chart(name: str, *args) -> bytes:
    """A chart from bot/charts.py, drawn in a worker thread. matplotlib is heavy (≈ 30 MB) and charts are asked
    for rarely, so it is imported with the first chart — here, in the thread, not on the event loop."""
    from bot import charts

    return getattr(charts, name)(*args)
