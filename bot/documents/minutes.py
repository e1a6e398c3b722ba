"""会议记录本: approved minutes as a DOCX record book — one section per meeting, in date order, with the attendance
and the photos — for the secretary to print and file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from zoneinfo import ZoneInfo

from bot.documents.official import add_photo, add_text, official_document
from bot.documents.sheets import clean
from bot.domain import dates
from bot.domain.meetings import KIND_LABELS, Meeting, MeetingKind
from bot.domain.review import Submission, SubmissionFile

LABEL = "会议记录本"
# 分门别类: besides the book of every meeting, a book per kind of 三会一课 (seed 000).
KIND_BOOKS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE)


def kind_label(kind: MeetingKind) -> str:
    """支部委员会记录本 …: the name of one kind's book."""
    return f"{KIND_LABELS[kind]}记录本"


@dataclass(frozen=True)
class Book:
    branch: str
    title: str  # 会议记录本, or one kind's book: 支部委员会会议记录本
    period_label: str
    zone: ZoneInfo
    approved: Sequence[tuple[Meeting, Submission, Sequence[SubmissionFile]]]  # in date order
    photos: Mapping[str, bytes]  # file id → the photo's bytes, for those that could be fetched


def _attendance_lines(a: dict) -> list[str]:
    lines = [f"应到 {a['expected']} 人，实到 {len(a['present'])} 人，请假 {len(a['on_leave'])} 人，"
             f"缺席 {len(a['absent'])} 人"]
    if a["present"]:
        lines.append("出席：" + "、".join(a["present"]))
    if a["on_leave"]:
        lines.append("请假：" + "、".join(p["name"] + (f"（{p['reason']}）" if p.get("reason") else "")
                                        for p in a["on_leave"]))
    if a["absent"]:
        lines.append("缺席：" + "、".join(a["absent"]))
    return lines


def book_docx(book: Book) -> bytes:
    from docx.shared import (
        Cm,  # imported here: python-docx is heavy, and a running bot rarely exports
    )

    doc = official_document()
    doc.add_heading(f"{book.branch}\n{book.title}", level=0)
    doc.add_paragraph(f"{book.period_label}　共 {len(book.approved)} 次会议（已审核通过的记录）")
    for index, (meeting, record, files) in enumerate(book.approved):
        c = record.content
        if index:
            doc.add_page_break()
        local = meeting.starts_at.astimezone(book.zone)
        doc.add_heading(f"{dates.padded_full_day(local)} {KIND_LABELS[meeting.kind]}", level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in (("会议类型", c.get("kind")), ("时间", c.get("when")), ("地点", c.get("place")),
                             ("主题", c.get("topic")), ("主持人", c.get("host")), ("记录人", c.get("recorder"))):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, clean(value or "")
        table.autofit = False
        for column, width in zip(table.columns, (Cm(3.2), Cm(12.4)), strict=True):
            column.width = width  # the grid LibreOffice reads
            for cell in column.cells:
                cell.width = width  # what Word reads
        doc.add_heading("出席情况", level=2)
        add_text(doc, "\n".join(_attendance_lines(c.get("attendance") or {"expected": 0, "present": [],
                                                                           "on_leave": [], "absent": []})))
        doc.add_heading("议题", level=2)
        add_text(doc, c.get("agenda") or "")
        doc.add_heading("会议内容及讨论情况", level=2)
        add_text(doc, c.get("content") or "")
        doc.add_heading("决议", level=2)
        add_text(doc, c.get("resolutions") or "无")
        if files:
            doc.add_heading("照片", level=2)
            placed = sum(add_photo(doc, book.photos[f.file_id]) for f in files if f.file_id in book.photos)
            fetched = sum(f.file_id in book.photos for f in files)
            if placed < fetched:
                doc.add_paragraph(f"（{fetched - placed} 张照片格式无法识别，未能放入）")
            if fetched < len(files):
                doc.add_paragraph(f"（另有 {len(files) - fetched} 张照片未能下载，请在系统中查看）")
        decided = record.decided_at.astimezone(book.zone) if record.decided_at else None
        doc.add_paragraph(f"审核：已通过{f'（{dates.numeric_day(decided)}）' if decided else ''}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
