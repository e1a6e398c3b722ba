"""A unit's registers across all the branches of its subtree, in one Excel with a 党支部 column: attendance, the
minutes list, evaluation results and the audit sheet — for `/export` by an officer and `zhibu export --unit`.

Each register reuses its branch exporter's data (the attendance register's year, the minutes book's
`approved_in`, `compile_results`, the audit log's lines) rather than reading the database its own way; the file is
made by bot/documents/unit.py. The exporters are declared in `FEATURE` and found in `svc.features.unit_exporters`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.documents import XLSX, ExportFile, file_name
from bot.documents import attendance as attendance_document
from bot.documents import audit as audit_document
from bot.documents.sheets import Column
from bot.documents.unit import rollup
from bot.domain import cadence, dates
from bot.domain import filing as filing_rules
from bot.domain.meetings import title_of
from bot.domain.models import Branch
from bot.exports import attendance as attendance_book
from bot.exports import minutes as minutes_book
from bot.exports import parse_year
from bot.features import Feature, UnitExporter
from bot.keys import refs
from bot.services import Services, audit_log
from bot.services import meetings as meeting_service
from bot.services.evaluation_results import compile_results
from storage import evaluation
from storage import filing as filing_store
from storage import units as unit_store


def local(moment: datetime, tz: str) -> datetime:
    """A naive local time: a spreadsheet's dates carry no zone."""
    return moment.astimezone(cadence.ZoneInfo(tz)).replace(tzinfo=None)


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
        arrived = filed.get(refs.submission(record.id))
        rows.append([local(meeting.starts_at, tz), title_of(meeting.kind, meeting.held, meeting.group_day),
                     c.get("topic") or "", c.get("host") or "", c.get("recorder") or "",
                     attendance.get("expected"), len(attendance.get("present", [])), len(files),
                     local(record.decided_at, tz).date() if record.decided_at else None,
                     local(arrived.filed_at, tz) if arrived else None, _review_of(arrived)])
    return {"会议记录": rows}


def _review_of(found: filing_rules.Filing | None) -> str:
    """The unit's answer to a filed record, as the registers show it: 待审阅, 已审阅, 已退回：<reason>."""
    if found is None:
        return ""
    label = filing_rules.REVIEW_LABELS[found.review_status]
    return f"{label}：{found.review_comment}" if found.review_comment else label


async def _filings(svc: Services, branch: Branch, period: cadence.Period) -> dict[str, list[list]]:
    """Every record the branch filed in the period, with the unit's answer."""
    tz = svc.settings.tz
    found = await filing_store.in_branches(svc.db, [branch.id], cadence.local_midnight(period.start, tz),
                                           cadence.local_midnight(period.end, tz))
    return {"备案审阅": [[local(f.filed_at, tz), filing_rules.KIND_LABELS.get(f.kind, f.kind), f.title, f.review_by,
                       filing_rules.REVIEW_LABELS[f.review_status], f.reviewed_by_name or "",
                       local(f.reviewed_at, tz) if f.reviewed_at else None, f.review_comment or ""]
                      for f in found]}


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


async def build(svc: Services, exporter: UnitExporter, unit_id: int, period: Any, code: str) -> ExportFile:
    """Every branch of the unit's subtree, a sheet per register with the branch in the first column."""
    unit = await unit_store.get(svc.db, unit_id)
    branches = await unit_store.branches_under(svc.db, [unit_id])
    rows: dict[str, list[list]] = {title: [] for title in exporter.headers}
    for branch in branches:
        for title, found in (await exporter.rows(svc, branch, period)).items():
            rows[title].extend([branch.name, *row] for row in found)
    data = rollup(unit.name, getattr(period, "label", dates.year(code)), len(branches), exporter.headers, rows)
    return ExportFile(file_name(unit.name, exporter.label, code, "xlsx"), data, XLSX)


def _numbers(*headers: str) -> tuple[Column, ...]:
    return tuple(Column(h, 6, "number") for h in headers)


UNIT_EXPORTERS = (
    UnitExporter("attendance", "考勤汇总", "年份，如 2026", parse_year,
                 {"考勤汇总": (Column("姓名", 10), *_numbers("出席", "请假", "缺席")),
                  "活动一览": attendance_document.MEETING_COLUMNS}, _attendance, build),
    UnitExporter("minutes", "会议记录一览", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"会议记录": (Column("日期", 18, "datetime"), Column("类别", 13, "mark"), Column("主题", 26),
                           Column("主持人", 10), Column("记录人", 10), *_numbers("应到", "实到", "照片"),
                           Column("审核通过", 13, "date"), Column("报上级备案", 18, "datetime"),
                           Column("上级审阅", 18))}, _minutes, build),
    UnitExporter("evaluation", "民主评议结果汇总", "年份，如 2026", parse_year,
                 {"评议结果": (Column("姓名", 10), Column("自评等次", 10, "mark"), Column("评议结果", 10, "mark"),
                           Column("书记备注", 28), Column("不合格处置", 18), Column("评议状态", 10, "mark"))},
                 _evaluation, build),
    UnitExporter("filings", "备案审阅登记", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"备案审阅": (Column("报送时间", 18, "datetime"), Column("类别", 13, "mark"), Column("名称", 30),
                           Column("应审阅日期", 13, "date"), Column("审阅状态", 10, "mark"), Column("审阅人", 12),
                           Column("审阅时间", 18, "datetime"), Column("退回理由", 28))}, _filings, build),
    UnitExporter("audit", "操作记录", "季度、半年或年份，如 2026Q4、2026", parse_period,
                 {"操作记录": audit_document.COLUMNS}, _audit, build),
)


FEATURE = Feature(name="unit-books", unit_exporters=UNIT_EXPORTERS)
