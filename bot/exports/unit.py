"""A unit's registers across all the branches of its subtree, in one Excel with a 党支部 column: attendance, the
minutes list, evaluation results and the audit sheet — for `/export` by an officer and `zhibu export --unit`.

Each register reuses its branch exporter's data (the attendance register's year, the minutes book's
`approved_in`, `compile_results`, the audit log's lines) rather than reading the database its own way; the file is
made by bot/documents/unit.py. The exporters are declared in `FEATURE` and found in `svc.features.unit_exporters`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.documents import XLSX, ExportFile
from bot.documents import attendance as attendance_document
from bot.documents import audit as audit_document
from bot.documents.unit import rollup
from bot.domain import cadence
from bot.domain import filing as filing_rules
from bot.domain.meetings import KIND_LABELS
from bot.domain.models import Branch
from bot.exports import attendance as attendance_book
from bot.exports import minutes as minutes_book
from bot.exports import parse_year
from bot.features import Feature
from bot.services import Services, audit_log
from bot.services import attendance as meeting_service
from bot.services.evaluation_results import compile_results
from storage import evaluation
from storage import filing as filing_store
from storage import units as unit_store

Rows = Callable[[Services, Branch, Any], Awaitable[dict[str, list[list]]]]


@dataclass(frozen=True)
class UnitExporter:
    name: str
    label: str
    arg_help: str
    parse: Callable[[str], Any]
    headers: dict[str, list[str]]  # sheet title → columns after 党支部
    rows: Rows  # one branch's rows, by sheet title

    async def export(self, svc: Services, unit_id: int, period: Any, code: str) -> ExportFile:
        return await build(svc, self, unit_id, period, code)


def parse_period(text: str) -> cadence.Period:
    return cadence.parse_period(text, None, allow_year=True)


async def _attendance(svc: Services, branch: Branch, year: int) -> dict[str, list[list]]:
    data = await attendance_book.year_of(svc, branch.id, year)
    return {"考勤汇总": [[r[0], *r[-3:]] for r in attendance_document.member_rows(data)],
            "活动一览": attendance_document.meeting_rows(data)}


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
    return {"操作记录": audit_document.rows(lines, cadence.ZoneInfo(tz))}


UNIT_EXPORTERS = (
    UnitExporter("attendance", "考勤汇总", "年份，如 2026", parse_year,
                 {"考勤汇总": ["姓名", "出席", "请假", "缺席"],
                  "活动一览": attendance_document.MEETING_HEADERS}, _attendance),
    UnitExporter("minutes", "会议记录一览", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"会议记录": ["日期", "类别", "主题", "主持人", "记录人", "应到", "实到", "照片", "审核通过",
                           "报上级备案"]}, _minutes),
    UnitExporter("evaluation", "民主评议结果汇总", "年份，如 2026", parse_year,
                 {"评议结果": ["姓名", "自评等次", "评议结果", "书记备注", "不合格处置", "评议状态"]}, _evaluation),
    UnitExporter("audit", "操作记录", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"操作记录": audit_document.HEADERS}, _audit),
)


async def build(svc: Services, exporter: UnitExporter, unit_id: int, period: Any, code: str) -> ExportFile:
    """Every branch of the unit's subtree, a sheet per register with the branch in the first column."""
    unit = await unit_store.get(svc.db, unit_id)
    branches = await unit_store.branches_under(svc.db, [unit_id])
    rows: dict[str, list[list]] = {title: [] for title in exporter.headers}
    for branch in branches:
        for title, found in (await exporter.rows(svc, branch, period)).items():
            rows[title].extend([branch.name, *row] for row in found)
    data = rollup(unit.name, code, len(branches), exporter.headers, rows)
    return ExportFile(f"{exporter.label}_{unit.name}_{code}.xlsx", data, XLSX)


FEATURE = Feature(name="unit-books", unit_exporters=UNIT_EXPORTERS)
