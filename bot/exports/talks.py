"""The talk register (谈心谈话记录, XLSX) and the thought-report register (XLSX) and book (DOCX), by year."""

from __future__ import annotations

from datetime import date, datetime, time
from io import BytesIO
from zoneinfo import ZoneInfo

from bot.domain.review import STATUS_LABELS
from bot.exports import DOCX, XLSX, Exporter, ExportFile, parse_year
from bot.features import Feature
from bot.services import Services
from storage import branches, members, reports, submissions, talks


def _sheet(title: str, headers: list[str], rows: list[list], widths: tuple[int, ...]) -> bytes:
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for letter, width in zip("ABCDEFG", widths, strict=False):  # a sheet may have fewer columns than letters
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def _names(svc: Services, ids: set[int]) -> dict[int, str]:
    return {i: (await members.get(svc.db, i)).name for i in ids}


async def build_talks(svc: Services, branch_id: int, year: int) -> ExportFile:
    """One row per talk of the year, by date."""
    branch = await branches.get(svc.db, branch_id)
    found = await talks.in_branch(svc.db, branch_id, date(year, 1, 1), date(year + 1, 1, 1))
    names = await _names(svc, {t.member_id for t in found} | {t.talker_id for t in found})
    rows = [[i, t.day.isoformat(), names[t.member_id], names[t.talker_id], t.topic] for i, t in enumerate(found, 1)]
    data = _sheet(f"{branch.name} {year}年度谈心谈话记录", ["序号", "日期", "谈话对象", "谈话人", "谈话内容"], rows,
                  (6, 12, 12, 12, 60))
    return ExportFile(f"谈心谈话记录-{year}.xlsx", data, XLSX)


async def _reports_of_year(svc: Services, branch_id: int, year: int):
    branch = await branches.get(svc.db, branch_id)
    zone = ZoneInfo(branch.tz or svc.settings.tz)
    since = datetime.combine(date(year, 1, 1), time(0), tzinfo=zone)
    until = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=zone)
    found = await reports.in_branch(svc.db, branch_id, since, until)
    found.sort(key=lambda s: (s.author_id, s.submitted_at))  # each member's reports together, by date
    return branch, zone, found, await _names(svc, {s.author_id for s in found})


async def build_report_register(svc: Services, branch_id: int, year: int) -> ExportFile:
    branch, zone, found, names = await _reports_of_year(svc, branch_id, year)
    rows = []
    for index, report in enumerate(found, 1):
        photos = len(await submissions.files(svc.db, report.id))
        rows.append([index, names[report.author_id], report.submitted_at.astimezone(zone).date().isoformat(),
                     STATUS_LABELS[report.status], len(report.content.get("text") or ""), photos])
    data = _sheet(f"{branch.name} {year}年度思想汇报登记", ["序号", "姓名", "提交日期", "审核状态", "字数", "照片"],
                  rows, (6, 12, 12, 12, 8, 8))
    return ExportFile(f"思想汇报登记-{year}.xlsx", data, XLSX)


async def build_report_book(svc: Services, branch_id: int, year: int) -> ExportFile:
    """The texts of the year's reports, member by member, each by date (photos are counted, kept in the chat)."""
    branch, zone, found, names = await _reports_of_year(svc, branch_id, year)
    from docx import Document  # imported here: heavy, and a running bot rarely exports

    document = Document()
    document.add_heading(f"{branch.name} {year}年度党员思想汇报", level=0)
    if not found:
        document.add_paragraph("（暂无已提交的思想汇报）")
    current = None
    for report in found:
        if report.author_id != current:
            current = report.author_id
            document.add_heading(names[current], level=1)
        day = report.submitted_at.astimezone(zone).date()
        photos = len(await submissions.files(svc.db, report.id))
        document.add_heading(f"{day.year}年{day.month}月{day.day}日（{STATUS_LABELS[report.status]}）", level=2)
        document.add_paragraph(report.content.get("text") or "（手写稿）")
        if photos:
            document.add_paragraph(f"附手写稿照片 {photos} 张")
    out = BytesIO()
    document.save(out)
    return ExportFile(f"党员思想汇报-{year}.docx", out.getvalue(), DOCX)


FEATURE = Feature(name="talk-books", exporters=(
    Exporter(name="talks", label="谈心谈话记录", arg_help="年份，如 2026", parse=parse_year, build=build_talks),
    Exporter(name="reports", label="思想汇报登记", arg_help="年份，如 2026", parse=parse_year,
             build=build_report_register),
    Exporter(name="reportbook", label="党员思想汇报汇编", arg_help="年份，如 2026", parse=parse_year,
             build=build_report_book, approvers_only=True),
))
