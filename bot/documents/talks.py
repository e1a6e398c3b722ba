"""The talk register (谈心谈话记录, XLSX), the thought-report register (XLSX) and the thought-report book (DOCX)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from bot.documents.sheets import append
from bot.domain.review import STATUS_LABELS, SubmissionStatus

TALKS, REPORTS, REPORT_BOOK = "谈心谈话记录", "思想汇报登记", "党员思想汇报汇编"


@dataclass(frozen=True)
class Talk:
    day: date
    member: str
    talker: str
    topic: str


@dataclass(frozen=True)
class Report:
    author: str
    day: date  # handed in
    status: SubmissionStatus
    text: str
    photos: int


def _sheet(title: str, headers: list[str], rows: list[list], widths: tuple[int, ...]) -> bytes:
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    append(sheet, headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        append(sheet, row)
    for letter, width in zip("ABCDEFG", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def talk_register(branch: str, year: int, talks: Sequence[Talk]) -> bytes:
    """One row per talk of the year, by date."""
    rows = [[i, t.day.isoformat(), t.member, t.talker, t.topic] for i, t in enumerate(talks, 1)]
    return _sheet(f"{branch} {year}年度谈心谈话记录", ["序号", "日期", "谈话对象", "谈话人", "谈话内容"], rows,
                  (6, 12, 12, 12, 60))


def report_register(branch: str, year: int, reports: Sequence[Report]) -> bytes:
    rows = [[i, r.author, r.day.isoformat(), STATUS_LABELS[r.status], len(r.text), r.photos]
            for i, r in enumerate(reports, 1)]
    return _sheet(f"{branch} {year}年度思想汇报登记", ["序号", "姓名", "提交日期", "审核状态", "字数", "照片"], rows,
                  (6, 12, 12, 12, 8, 8))


def report_book(branch: str, year: int, reports: Sequence[Report]) -> bytes:
    """The texts of the year's reports, member by member, each by date (photos are counted, kept in the chat)."""
    from docx import Document  # imported here: heavy, and a running bot rarely exports

    document = Document()
    document.add_heading(f"{branch} {year}年度党员思想汇报", level=0)
    if not reports:
        document.add_paragraph("（暂无已提交的思想汇报）")
    current = None
    for report in reports:
        if report.author != current:
            current = report.author
            document.add_heading(current, level=1)
        day = report.day
        document.add_heading(f"{day.year}年{day.month}月{day.day}日（{STATUS_LABELS[report.status]}）", level=2)
        document.add_paragraph(report.text or "（手写稿）")
        if report.photos:
            document.add_paragraph(f"附手写稿照片 {report.photos} 张")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
