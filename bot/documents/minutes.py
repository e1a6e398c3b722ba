"""会议记录本: approved minutes as a DOCX record book — one section per meeting, in date order, with the attendance
and the photos — for the secretary to print and file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from zoneinfo import ZoneInfo

from bot.documents.official import official_document
from bot.domain.meetings import KIND_LABELS, Meeting
from bot.domain.review import Submission, SubmissionFile

LABEL = "会议记录本"


@dataclass(frozen=True)
class Book:
    branch: str
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
    doc.add_heading(f"{book.branch} 会议记录本", level=0)
    doc.add_paragraph(f"{book.period_label}　共 {len(book.approved)} 次会议（已审核通过的记录）")
    for index, (meeting, record, files) in enumerate(book.approved):
        c = record.content
        if index:
            doc.add_page_break()
        local = meeting.starts_at.astimezone(book.zone)
        doc.add_heading(f"{local:%Y年%m月%d日} {KIND_LABELS[meeting.kind]}", level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in (("会议类型", c.get("kind")), ("时间", c.get("when")), ("地点", c.get("place")),
                             ("主题", c.get("topic")), ("主持人", c.get("host")), ("记录人", c.get("recorder"))):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value or ""
        doc.add_heading("出席情况", level=2)
        for line in _attendance_lines(c.get("attendance") or {"expected": 0, "present": [], "on_leave": [],
                                                                "absent": []}):
            doc.add_paragraph(line)
        doc.add_heading("议题", level=2)
        for line in (c.get("agenda") or "").splitlines():
            doc.add_paragraph(line)
        doc.add_heading("会议内容及讨论情况", level=2)
        for line in (c.get("content") or "").splitlines():
            doc.add_paragraph(line)
        doc.add_heading("决议", level=2)
        doc.add_paragraph(c.get("resolutions") or "无")
        pictures = [book.photos[f.file_id] for f in files if f.file_id in book.photos]
        if files:
            doc.add_heading("照片", level=2)
            for data in pictures:
                try:
                    doc.add_picture(BytesIO(data), width=Cm(12))
                except Exception:  # noqa: BLE001 — a picture the library cannot read must not lose the book
                    doc.add_paragraph("（一张照片格式无法识别，未能放入）")
            if len(pictures) < len(files):
                doc.add_paragraph(f"（另有 {len(files) - len(pictures)} 张照片未能下载，请在系统中查看）")
        decided = record.decided_at.astimezone(book.zone) if record.decided_at else None
        doc.add_paragraph(f"审核：已通过{f'（{decided:%Y-%m-%d}）' if decided else ''}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
