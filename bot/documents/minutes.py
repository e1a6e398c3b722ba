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
from bot.domain.meetings import KIND_LABELS, Meeting, MeetingKind, title_of
from bot.domain.review import Submission, SubmissionFile

LABEL = "会议记录本"
# 分门别类: besides the book of every meeting, a book per kind of 三会一课 (seed 000), and one of 专题学习 (seed 002).
KIND_BOOKS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE, MeetingKind.STUDY)


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
    # 党课记录本: the 领导干部 who lectured in the period and how often (seed 000: 每年讲课不少于2次)
    leaders: Sequence[tuple[str, int]] | None = None


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


OUTCOMES = {"passed": "通过", "failed": "未通过", "no_quorum": "不足法定人数，无效"}
LEADER_LECTURES = 2  # 领导干部每年讲课不少于2次


def _grid(doc, headers: Sequence[str], rows: Sequence[Sequence[object]], widths_cm: Sequence[float]) -> None:
    """A bordered table with a header row in 小四 (12 pt, so a count fits its column), each column as wide as asked
    (LibreOffice reads the grid, Word the cells)."""
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = clean(str(value))
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
            for run in (run for paragraph in cell.paragraphs for run in paragraph.runs):
                run.font.size = Pt(12)


def _votes(doc, results: Sequence[Mapping[str, object]]) -> None:
    """表决情况: each motion with 应到, 实到, the counts, whether a quorum was present and the result."""
    doc.add_heading("表决情况", level=2)
    if not results:
        add_text(doc, "本次会议无表决事项")
        return
    _grid(doc, ("表决事项", "应到", "实到", "赞成", "反对", "弃权", "到会过半", "结果"),
          [(v["motion"], v["expected"], v["present"], v["yes"], v["no"], v["abstain"], "是" if v["quorum"] else "否",
            OUTCOMES[str(v["outcome"])]) for v in results],
          (4.1, 1.3, 1.3, 1.3, 1.3, 1.3, 2.2, 2.4))


def _leaders(doc, leaders: Sequence[tuple[str, int]], period_label: str) -> None:
    doc.add_page_break()
    doc.add_heading("领导干部讲党课情况", level=1)
    doc.add_paragraph(f"{period_label}　领导干部每年讲党课不少于 {LEADER_LECTURES} 次（已召开的党课，按主讲人统计）")
    if not leaders:
        add_text(doc, "本期没有领导干部主讲的党课")
        return
    _grid(doc, ("主讲人", "讲党课次数", "是否达到每年 2 次"),
          [(name, count, "是" if count >= LEADER_LECTURES else "否") for name, count in leaders], (6.0, 4.0, 5.6))


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
        doc.add_heading(f"{dates.padded_full_day(local)} {title_of(meeting.kind, meeting.held)}", level=1)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        lecturer = (c["lecturer"] + ("（领导干部）" if c.get("lecturer_leader") else "")) if c.get("lecturer") else None
        for label, value in (("会议类型", c.get("kind")), ("时间", c.get("when")), ("地点", c.get("place")),
                             ("主题", c.get("topic")), ("主讲人", lecturer), ("主持人", c.get("host")),
                             ("记录人", c.get("recorder"))):
            if label == "主讲人" and not value:
                continue
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
        if c.get("takes_votes"):
            _votes(doc, c.get("vote_results") or [])
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
    if book.leaders is not None:
        _leaders(doc, book.leaders, book.period_label)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
