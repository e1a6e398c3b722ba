"""操作记录: a branch's audit log of a quarter, half-year or year, read for the sheet (bot/documents/audit.py)."""

from __future__ import annotations

from bot.documents import XLSX, ExportFile, file_name
from bot.documents.audit import LABEL, register
from bot.domain import cadence
from bot.features import Exporter, Feature
from bot.services import Services, audit_log
from storage import branches


def parse(text: str) -> cadence.Period:
    return cadence.parse_period(text, None, allow_year=True)


async def build(svc: Services, branch_id: int, period: cadence.Period) -> ExportFile:
    branch = await branches.get(svc.db, branch_id)
    tz = branch.tz or svc.settings.tz
    lines = await audit_log.lines_between(svc, [branch_id], cadence.local_midnight(period.start, tz),
                                          cadence.local_midnight(period.end, tz))
    data = register(branch.name, period.label, lines, cadence.ZoneInfo(tz))
    return ExportFile(file_name(branch.name, LABEL, period.code, "xlsx"), data, XLSX)


FEATURE = Feature(name="audit-book", exporters=(
    Exporter(name="audit", label=LABEL, arg_help="季度、半年或年份，如 2026Q4、2026", parse=parse, build=build,
             approvers_only=True),))
