"""/export as taps: which record books a person may take, the periods offered for each, and the file itself.

The same exporters as `zhibu export` (bot/exports, found in `svc.features.exporters`); each press re-checks who is
asking, so a forwarded or forged button gets nobody a book they may not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.documents import ExportFile
from bot.domain import cadence
from bot.errors import UserError
from bot.features import Exporter
from bot.render import word
from bot.services import Services, membership
from storage import branches


@dataclass(frozen=True)
class PeriodChoice:
    code: str  # what the exporter parses: 2026, 2026Q4
    label: str  # 今年（2026）, 2026年第四季度

    @property
    def number(self) -> int:
        """The period as a number for a button: 2026 a year, 202604 its fourth quarter (see period_code)."""
        year, _, q = self.code.partition("Q")
        return int(year) * 100 + int(q) if q else int(year)


def period_code(number: int) -> str:
    """A button's period number back to what the exporter parses (anything odd is left to it to refuse)."""
    return f"{number // 100}Q{number % 100}" if number >= 10000 else str(number)


def _allowed(exporter: Exporter, member) -> bool:
    return member.is_committee and (member.is_approver or not exporter.approvers_only)


async def books_for(svc: Services, telegram_id: int) -> list[Exporter]:
    """The record books this person may take (committee members; self-evaluations only the secretary and deputy)."""
    member = await membership.active_member(svc, telegram_id)
    if not member.is_committee:
        raise UserError("common/not_allowed.j2")
    return [e for e in svc.features.exporters.values() if _allowed(e, member)]


def find(svc: Services, word: str) -> Exporter | None:
    """The exporter named so in English (attendance) or Chinese (考勤, 会议记录 …)."""
    return next((e for e in svc.features.exporters.values() if e.answers_to(word)), None)


async def _today(svc: Services, telegram_id: int) -> date:
    member = await membership.active_member(svc, telegram_id)
    branch = await branches.get(svc.db, member.branch_id)
    return svc.now().astimezone(ZoneInfo(branch.tz or svc.settings.tz)).date()


def period_choices(exporter: Exporter, today: date) -> list[PeriodChoice]:
    """This year and last year; for a quarterly book also the last four quarters, newest first."""
    years = [PeriodChoice(str(today.year), word("export/this_year", year=today.year)),
             PeriodChoice(str(today.year - 1), word("export/last_year", year=today.year - 1))]
    if not exporter.by_quarter:
        return years
    current = (today.month - 1) // 3 + 1
    quarters = []
    for back in range(4):
        index = today.year * 4 + current - 1 - back
        period = cadence.quarter(index // 4, index % 4 + 1)
        quarters.append(PeriodChoice(period.code, period.label))
    return quarters + years


async def periods_for(svc: Services, telegram_id: int, name: str) -> tuple[Exporter, list[PeriodChoice]]:
    exporter = await _book(svc, telegram_id, name)
    return exporter, period_choices(exporter, await _today(svc, telegram_id))


async def _book(svc: Services, telegram_id: int, name: str) -> Exporter:
    exporter = find(svc, name)
    if exporter is None:
        raise UserError("common/stale.j2")
    if exporter not in await books_for(svc, telegram_id):
        raise UserError("common/not_allowed.j2")
    return exporter


async def build(svc: Services, telegram_id: int, name: str, period_text: str) -> tuple[Exporter, ExportFile]:
    """The file of one record book for the person's own branch; a period the book does not take is refused."""
    exporter = await _book(svc, telegram_id, name)
    try:
        period = exporter.parse(period_text)
    except ValueError as exc:
        raise UserError("export/bad_period.j2", reason=str(exc), exporter=exporter) from None
    member = await membership.active_member(svc, telegram_id)
    return exporter, await exporter.build(svc, member.branch_id, period)
