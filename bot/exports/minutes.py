"""会议记录本: a branch's approved minutes of a quarter, half-year or year as a DOCX record book — one section per
meeting, in date order, with the attendance and the photos — for the secretary to print and file."""

from __future__ import annotations

from io import BytesIO

from bot.domain import cadence
from bot.domain.cadence import Period
from bot.domain.meetings import KIND_LABELS
from bot.domain.review import SubmissionStatus
from bot.exports import DOCX, Exporter, ExportFile, file_name
from bot.exports.files import fetch
from bot.exports.official import official_document
from bot.features import Feature
from bot.services import Services
from bot.services import attendance as meeting_service
from bot.services.minutes import record_of
from storage import branches, meetings, submissions

LABEL = "会议记录本"


def parse(text: str) -> Period:
    return cadence.parse_period(text, None, allow_year=True)


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


async def approved_in(db, branch_id: int, since, until, only: set[int] | None = None) -> list:
    """(meeting, approved record, its files) of the branch's meetings in [since, until), in date order; `only`
    keeps just those records. The data of the book, and of a unit's minutes list."""
    approved = []
    for meeting in await meetings.in_branch(db, branch_id, since=since, until=until):
        record = await record_of(db, meeting.id)
        if record is not None and record.status is SubmissionStatus.APPROVED and (only is None or record.id in only):
            approved.append((meeting, record, await submissions.files(db, record.id)))
    return approved


async def build(svc: Services, branch_id: int, period: Period, only: set[int] | None = None) -> ExportFile:
    """The book of the period; `only` keeps just those records (a filing digest sends one record as a book)."""
    async with svc.db.read() as db:  # one snapshot: the meetings, their records and files agree
        branch = await branches.get(db, branch_id)
        tz = meeting_service.tz_of(svc, branch)
        approved = await approved_in(db, branch_id, cadence.local_midnight(period.start, tz),
                                     cadence.local_midnight(period.end, tz), only)
    photos = await fetch(svc.settings, [f.file_id for _, _, files in approved for f in files if f.file_kind == "photo"])

    from docx.shared import (
        Cm,  # imported here: python-docx is heavy, and a running bot rarely exports
    )

    doc = official_document()
    doc.add_heading(f"{branch.name} 会议记录本", level=0)
    doc.add_paragraph(f"{period.label}　共 {len(approved)} 次会议（已审核通过的记录）")
    for index, (meeting, record, files) in enumerate(approved):
        c = record.content
        if index:
            doc.add_page_break()
        local = meeting.starts_at.astimezone(cadence.ZoneInfo(tz))
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
        pictures = [photos[f.file_id] for f in files if f.file_id in photos]
        if files:
            doc.add_heading("照片", level=2)
            for data in pictures:
                try:
                    doc.add_picture(BytesIO(data), width=Cm(12))
                except Exception:  # noqa: BLE001 — a picture the library cannot read must not lose the book
                    doc.add_paragraph("（一张照片格式无法识别，未能放入）")
            if len(pictures) < len(files):
                doc.add_paragraph(f"（另有 {len(files) - len(pictures)} 张照片未能下载，请在系统中查看）")
        decided = record.decided_at.astimezone(cadence.ZoneInfo(tz)) if record.decided_at else None
        doc.add_paragraph(f"审核：已通过{f'（{decided:%Y-%m-%d}）' if decided else ''}")
    out = BytesIO()
    doc.save(out)
    return ExportFile(filename=file_name(branch.name, LABEL, period.code, "docx"), data=out.getvalue(),
                      mime_type=DOCX)


FEATURE = Feature(name="minutes-book", exporters=(
    Exporter(name="minutes", label=LABEL, arg_help="季度、半年或年份，如 2026Q4、2026H2、2026", parse=parse,
             build=build, aliases=("会议记录", "记录本", "三会一课"), by_quarter=True),))

