"""A unit's registers across all the branches of its subtree, in one Excel with a 党支部 column: attendance, the
minutes list, evaluation results and the audit sheet — for `/export` by an officer and `zhibu export --unit`.

Each register reuses its branch exporter's data (the attendance book itself, the minutes book's `approved_in`,
`compile_results`, the audit log's lines) rather than reading the database its own way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from bot.domain import cadence
from bot.domain import filing as filing_rules
from bot.domain.meetings import KIND_LABELS
from bot.domain.models import Branch
from bot.exports import XLSX, ExportFile, parse_year
from bot.exports import attendance as attendance_book
from bot.exports import minutes as minutes_book
from bot.services import Services, audit_log
from bot.services import attendance as meeting_service
from bot.services.evaluation_results import compile_results
from storage import evaluation
from storage import filing as filing_store
from storage import units as unit_store

BRANCH = "党支部"
Rows = Callable[[Services, Branch, Any], Awaitable[dict[str, list[list]]]]


@dataclass(frozen=True)
class UnitExporter:
    name: str
    label: str
    arg_help: str
    parse: Callable[[str], Any]
    headers: dict[str, list[str]]  # sheet title → columns after 党支部
    rows: Rows  # one branch's rows, by sheet title


def parse_period(text: str) -> cadence.Period:
    return cadence.parse_period(text, None, allow_year=True)


def _sheet_rows(data: bytes, title: str) -> list[list]:
    """The rows under the header row of one sheet of a branch's book (the header starts with 姓名 or 日期)."""
    from openpyxl import (
        load_workbook,  # imported here: heavy, and a running bot rarely exports
    )

    sheet = load_workbook(BytesIO(data), read_only=True)[title]
    rows, seen_header = [], False
    for row in sheet.iter_rows(values_only=True):
        if not seen_header:
            seen_header = row and row[0] in ("姓名", "日期")
            continue
        rows.append(list(row))
    return rows


async def _attendance(svc: Services, branch: Branch, year: int) -> dict[str, list[list]]:
    book = await attendance_book.build(svc, branch.id, year)
    return {"考勤汇总": [[r[0], *r[-3:]] for r in _sheet_rows(book.data, "考勤登记")],
            "活动一览": _sheet_rows(book.data, "活动一览")}


async def _minutes(svc: Services, branch: Branch, period: cadence.Period) -> dict[str, list[list]]:
    tz = meeting_service.tz_of(svc, branch)
    async with svc.db.read() as db:
        approved = await minutes_book.approved_in(db, branch.id, cadence.local_midnight(period.start, tz),
                                                  cadence.local_midnight(period.end, tz))
        filed = {f.ref: f for f in await filing_store.in_branches(db, [branch.id])}
    rows = []
    for meeting, record, files in approved:
        c = record.content
        attendance = c.get("attendance") or {}
        arrived = filed.get(f"submission:{record.id}")
        rows.append([f"{meeting.starts_at.astimezone(cadence.ZoneInfo(tz)):%Y-%m-%d %H:%M}", KIND_LABELS[meeting.kind],
                     c.get("topic") or "", c.get("host") or "", c.get("recorder") or "",
                     attendance.get("expected", ""), len(attendance.get("present", [])), len(files),
                     f"{record.decided_at.astimezone(cadence.ZoneInfo(tz)):%Y-%m-%d}" if record.decided_at else "",
                     f"{arrived.filed_at.astimezone(cadence.ZoneInfo(tz)):%Y-%m-%d %H:%M}" if arrived else ""])
    return {"会议记录": rows}


async def _evaluation(svc: Services, branch: Branch, year: int) -> dict[str, list[list]]:
    campaign = await evaluation.for_year(svc.db, branch.id, year)
    if campaign is None:
        return {"评议结果": []}
    found = await compile_results(svc, campaign)
    followups = {f.member_id: f for f in await filing_store.followups_of(svc.db, [branch.id], include_closed=True)
                 if f.campaign_id == campaign.id}
    rows = []
    for row in found.rows:
        followup = followups.get(row.member.id)
        handling = ""
        if followup is not None:
            handling = "、".join(x for x in ((followup.measure.label if followup.measure else "待定措施"),
                                             filing_rules.STATUS_LABELS[followup.status]))
        rows.append([row.member.name, row.self_grade.label if row.self_grade else "",
                     row.final_grade.label if row.final_grade else "", row.remark or "", handling,
                     "已结束" if not campaign.is_open else "进行中"])
    return {"评议结果": rows}


async def _audit(svc: Services, branch: Branch, period: cadence.Period) -> dict[str, list[list]]:
    tz = svc.settings.tz
    lines = await audit_log.lines_between(svc, [branch.id], cadence.local_midnight(period.start, tz),
                                          cadence.local_midnight(period.end, tz))
    return {"操作记录": [[f"{line.at.astimezone(cadence.ZoneInfo(tz)):%Y-%m-%d %H:%M}", line.who, line.what,
                          line.about, line.note] for line in lines]}


UNIT_EXPORTERS = {e.name: e for e in (
    UnitExporter("attendance", "考勤汇总", "年份，如 2026", parse_year,
                 {"考勤汇总": ["姓名", "出席", "请假", "缺席"],
                  "活动一览": ["日期", "类别", "主题", "地点", "应到", "实到", "迟到", "请假", "缺席"]}, _attendance),
    UnitExporter("minutes", "会议记录一览", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"会议记录": ["日期", "类别", "主题", "主持人", "记录人", "应到", "实到", "照片", "审核通过",
                           "报上级备案"]}, _minutes),
    UnitExporter("evaluation", "民主评议结果汇总", "年份，如 2026", parse_year,
                 {"评议结果": ["姓名", "自评等次", "评议结果", "书记备注", "不合格处置", "评议状态"]}, _evaluation),
    UnitExporter("audit", "操作记录", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"操作记录": ["时间", "操作人", "操作", "对象", "说明"]}, _audit),
)}


async def build(svc: Services, exporter: UnitExporter, unit_id: int, period: Any, code: str) -> ExportFile:
    """Every branch of the unit's subtree, a sheet per register with the branch in the first column."""
    unit = await unit_store.get(svc.db, unit_id)
    branches = await unit_store.branches_under(svc.db, [unit_id])
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    sheets = {}
    for title, headers in exporter.headers.items():
        sheet = book.create_sheet(title)
        sheet.append([f"{unit.name} {code} {title}（{len(branches)} 个党支部）"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([BRANCH, *headers])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 18
        sheets[title] = sheet
    for branch in branches:
        for title, rows in (await exporter.rows(svc, branch, period)).items():
            for row in rows:
                sheets[title].append([branch.name, *row])
    out = BytesIO()
    book.save(out)
    return ExportFile(f"{exporter.label}_{unit.name}_{code}.xlsx", out.getvalue(), XLSX)
