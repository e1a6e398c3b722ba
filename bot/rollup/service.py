"""What a roll-up officer can do, Telegram-free: every county worst first, a county's branches and a branch's card
(the county officers' own figures and cards), the county × month heat map, the unit registers across counties, and
a task from above to every county's branches. Every view re-checks that the asker is a roll-up officer."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.documents import XLSX, ExportFile, file_name
from bot.documents.sheets import Column
from bot.documents.unit import rollup as workbook
from bot.domain import cadence as cadence_rules
from bot.domain import dates
from bot.domain import overview as overview_rules
from bot.domain.units import ROOT_ID
from bot.errors import UserError
from bot.exports import parse_year
from bot.exports.unit import UNIT_EXPORTERS
from bot.render import render, word
from bot.rollup import rules
from bot.rollup.counties import County
from bot.rollup.drafts import Draft, Drafts
from bot.services import overview
from bot.services.tasks import issue
from bot.services.tasks import progress as task_progress
from storage import branches as branch_store
from storage import units as unit_store

COUNTY = Column("所属县（市、区）", 16)
log = logging.getLogger(__name__)


@dataclass
class Rollup:
    """The deployment's counties as the roll-up sees them, its officers, and tasks being drafted (on disk)."""

    name: str
    officers: frozenset[int]
    counties: list[County]
    drafts: Drafts
    clock: Clock = field(default_factory=Clock)
    menus: set[int] = field(default_factory=set)  # officers whose chat has their command menu, this run

    def require_officer(self, telegram_id: int) -> None:
        if telegram_id not in self.officers:
            raise UserError("rollup/not_allowed.j2")

    def county(self, telegram_id: int, index: int) -> County:
        self.require_officer(telegram_id)
        if not 0 <= index < len(self.counties):
            raise UserError("common/stale.j2")
        return self.counties[index]


async def _figures_of(index: int, county: County) -> rules.CountyFigures:
    svc = county.svc
    figures = await overview.figures_under(svc, [ROOT_ID], svc.now())
    late = await task_progress.overdue_counts(svc, [f.branch.id for f in figures], svc.now())
    return rules.county_figures(index, county.name, county.title, figures, sum(len(t) for t in late.values()))


async def counties(r: Rollup, telegram_id: int) -> list[rules.CountyFigures]:
    """/overview: every county, worst first."""
    r.require_officer(telegram_id)
    return rules.worst_first([await _figures_of(i, c) for i, c in enumerate(r.counties)])


async def county_page(r: Rollup, telegram_id: int, index: int, filter_: str = "all",
                      page: int = 0) -> overview.OverviewPage:
    """A county's branches, worst first, as its own officers see them (without their notice button)."""
    county = r.county(telegram_id, index)
    return await overview.page_under(county.svc, [ROOT_ID], filter_, page, read_only=True)


async def branch_card(r: Rollup, telegram_id: int, index: int, branch_id: int) -> overview.BranchCard:
    county = r.county(telegram_id, index)
    if await branch_store.get(county.svc.db, branch_id) is None:
        raise UserError("common/stale.j2")
    return await overview.card_under(county.svc, ROOT_ID, branch_id)


async def heatmap(r: Rollup, telegram_id: int) -> bytes:
    """Counties × the last 12 months: each cell the mean share of requirements met by the county's branches."""
    r.require_officer(telegram_id)
    now = r.clock.now()
    months = overview_rules.last_months(cadence_rules.local_day(now, r.counties[0].svc.settings.tz))
    grid, names = [], []
    for county in r.counties:
        figures = await overview.figures_under(county.svc, [ROOT_ID], now)
        grid.append(rules.county_row(await overview.grid_of(county.svc, [ROOT_ID], figures, months, now),
                                     len(months)))
        names.append(county.title)
    title = word("rollup/heatmap_title", name=r.name, counties=len(names))
    return await asyncio.to_thread(_heatmap_png, title, names, overview.month_labels(months), grid,
                                   render("overview/heatmap_legend.j2"))


def _heatmap_png(*args: object) -> bytes:
    """Drawn in a worker thread; matplotlib is imported with the first chart (as bot/services/overview.py does)."""
    from bot import charts

    return charts.compliance_heatmap(*args)  # type: ignore[arg-type]


def export_year(r: Rollup, typed: str) -> int:
    """The year /export was given (this year when none), read as the county bot's books read it; else refused."""
    if not typed:
        return r.clock.now().year
    try:
        return parse_year(typed)
    except ValueError:
        raise UserError("rollup/bad_year.j2", example=r.clock.now().year) from None


def exporters() -> list[tuple[str, str]]:
    return [(e.name, e.label) for e in UNIT_EXPORTERS]


async def export(r: Rollup, telegram_id: int, kind: str, year: int) -> ExportFile:
    """A unit register over every branch of every county, one Excel, the county beside each branch."""
    r.require_officer(telegram_id)
    exporter = next((e for e in UNIT_EXPORTERS if e.name == kind), None)
    if exporter is None or not 2000 <= year <= 2100:
        raise UserError("common/stale.j2")
    period = exporter.parse(str(year))
    rows: dict[str, list[list]] = {title: [] for title in exporter.headers}
    total = 0
    for county in r.counties:
        found = await unit_store.branches_under(county.svc.db, [ROOT_ID])
        total += len(found)
        for branch in found:
            for title, lines in (await exporter.rows(county.svc, branch, period)).items():
                rows[title].extend([branch.name, county.title, *line] for line in lines)
    data = workbook(r.name, getattr(period, "label", dates.year(str(year))), total,
                    {title: (COUNTY, *cols) for title, cols in exporter.headers.items()}, rows)
    return ExportFile(file_name(r.name, exporter.label, year, "xlsx"), data, XLSX)


# --- tasks from above -------------------------------------------------------------------------------------------

def task_parts(text: str | None) -> tuple[str, str, str]:
    """`/task` followed by the title on its line, the text on the next lines and the last day on the last line."""
    lines = [line.strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 3:
        raise UserError("rollup/task_format.j2")
    return lines[0], "\n".join(lines[1:-1]), lines[-1]


@dataclass(frozen=True)
class Issued:
    county: str
    branches: int  # 0 with `refusal`: the county's answer why not
    refusal: str = ""


async def draft_task(r: Rollup, telegram_id: int, text: str | None) -> tuple[str, str, str, int, int]:
    """Check the task as every county will (the first county's rules), keep it for 发布 (on disk before the
    preview is shown); (title, body, day, branches in all counties, the draft's number for its buttons)."""
    r.require_officer(telegram_id)
    title, body, day = task_parts(text)
    issue.check_fields(r.counties[0].svc, title, body, day)
    number = await r.drafts.keep(telegram_id, (title, body, day))
    reach = sum([len(await unit_store.branches_under(c.svc.db, [ROOT_ID])) for c in r.counties])
    return title, body, day, reach, number


async def publish_task(r: Rollup, telegram_id: int, name: str, number: int) -> list[Issued]:
    """发布: the kept task of this number is issued in every county by its root unit, each in its own write; a
    county that refuses (no branches) is reported, the others are not held back. An older preview's is stale."""
    r.require_officer(telegram_id)
    draft = await r.drafts.take(telegram_id, number)
    if draft is None:
        raise UserError("common/stale.j2")
    return [await _issue_in(county, telegram_id, name, draft) for county in r.counties]


async def _issue_in(county: County, telegram_id: int, name: str, draft: Draft) -> Issued:
    """One county's part; a county that cannot take it (no branches, its file unwritable) does not stop the rest."""
    try:
        async with county.writable() as svc:
            return Issued(county.title, await issue.issue_from_above(svc, telegram_id, name, *draft))
    except UserError as refusal:
        return Issued(county.title, 0, render(refusal.template, **refusal.params))
    except Exception:  # a fault stays in its county: logged, reported, the other counties still get the task
        log.exception("the task from above could not be written into county %s", county.name)
        return Issued(county.title, 0, render("rollup/county_failed.j2"))


async def discard_task(r: Rollup, telegram_id: int, number: int) -> None:
    """放弃: the draft of this number is dropped (an older preview's 放弃 leaves a newer draft be)."""
    r.require_officer(telegram_id)
    await r.drafts.take(telegram_id, number)
