"""操作记录: a branch's audit log of a quarter, half-year or year as an XLSX sheet, in Chinese (the same words
as /audit)."""

from __future__ import annotations

from io import BytesIO

from bot.domain import cadence
from bot.exports import XLSX, Exporter, ExportFile
from bot.features import Feature
from bot.services import Services, audit_log
from storage import branches

HEADERS = ["时间", "操作人", "操作", "对象", "说明"]


def parse(text: str) -> cadence.Period:
    return cadence.parse_period(text, None, allow_year=True)


async def build(svc: Services, branch_id: int, period: cadence.Period) -> ExportFile:
    branch = await branches.get(svc.db, branch_id)
    tz = branch.tz or svc.settings.tz
    lines = await audit_log.lines_between(svc, [branch_id], cadence.local_midnight(period.start, tz),
                                          cadence.local_midnight(period.end, tz))
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "操作记录"
    sheet.append([f"{branch.name} {period.label} 操作记录"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(HEADERS)
    for line in lines:
        sheet.append([f"{line.at.astimezone(cadence.ZoneInfo(tz)):%Y-%m-%d %H:%M}", line.who, line.what, line.about,
                      line.note])
    for letter, width in zip("ABCDE", (18, 12, 24, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return ExportFile(f"操作记录_{branch.name}_{period.code}.xlsx", out.getvalue(), XLSX)


FEATURE = Feature(name="audit-book", exporters=(
    Exporter(name="audit", label="操作记录", arg_help="季度、半年或年份，如 2026Q4、2026", parse=parse, build=build,
             approvers_only=True),))
