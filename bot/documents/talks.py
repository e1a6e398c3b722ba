"""The talk register (谈心谈话记录, XLSX), the thought-report register (XLSX) and the thought-report book (DOCX, in
the same official layout as the minutes book, with the photos of handwritten reports)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from bot.documents.official import add_photo, add_text, official_document
from bot.documents.sheets import Column, Table, workbook
from bot.domain import dates
from bot.domain.review import STATUS_LABELS, SubmissionStatus

TALKS, REPORTS, REPORT_BOOK = "谈心谈话记录", "思想汇报登记", "党员思想汇报汇编"
TALK_COLUMNS = (Column("序号", 6, "mark"), Column("日期", 13, "date"), Column("谈话对象", 10),
                Column("谈话人", 10), Column("谈话内容", 50))
REPORT_COLUMNS = (Column("序号", 6, "mark"), Column("姓名", 10), Column("提交日期", 13, "date"),
                  Column("审核状态", 10, "mark"), Column("字数", 8, "number"), Column("照片（张）", 10, "number"))


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
    photos: int  # how many photos the report has
    pictures: Sequence[bytes] = field(default_factory=tuple)  # those fetched, for the book


def talk_register(branch: str, year: int, talks: Sequence[Talk]) -> bytes:
    """One row per talk of the year, by date."""
    rows = [[i, t.day, t.member, t.talker, t.topic] for i, t in enumerate(talks, 1)]
    return workbook([Table(TALKS, f"{branch} {year}年度谈心谈话记录", TALK_COLUMNS, rows,
                           subtitle=f"共 {len(rows)} 次")])


def report_register(branch: str, year: int, reports: Sequence[Report]) -> bytes:
    rows = [[i, r.author, r.day, STATUS_LABELS[r.status], len(r.text), r.photos] for i, r in enumerate(reports, 1)]
    return workbook([Table(REPORTS, f"{branch} {year}年度思想汇报登记", REPORT_COLUMNS, rows,
                           subtitle=f"共 {len(rows)} 份")])


def report_book(branch: str, year: int, reports: Sequence[Report]) -> bytes:
    """The year's reports, member by member, each by date: the text, and the photos (a handwritten report is its
    photos)."""
    document = official_document()
    document.add_heading(f"{branch}\n{year}年度党员思想汇报", level=0)
    document.add_paragraph(f"共 {len(reports)} 份（已提交的思想汇报）")
    current = None
    for report in reports:
        if report.author != current:
            if current is not None:
                document.add_page_break()
            current = report.author
            document.add_heading(current, level=1)
        day = report.day
        document.add_heading(f"{dates.full_day(day)}（{STATUS_LABELS[report.status]}）", level=2)
        if report.text:
            add_text(document, report.text)
        elif report.photos:
            document.add_paragraph(f"（手写稿，共 {report.photos} 页，照片如下）")
        else:
            document.add_paragraph("（手写稿）")
        placed = sum(add_photo(document, data) for data in report.pictures)
        if placed < report.photos:
            document.add_paragraph(f"（另有 {report.photos - placed} 张照片未能放入，请在系统中查看）")
    out = BytesIO()
    document.save(out)
    return out.getvalue()
