"""考勤登记表: a branch's meetings of one year as an XLSX register — one row per member, one column per meeting —
and a sheet listing the meetings (活动一览)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from zoneinfo import ZoneInfo

from bot.documents.sheets import append
from bot.domain.meetings import (
    KIND_LABELS,
    PRESENT,
    Attendance,
    Meeting,
    Presence,
    Recorded,
    recorded_how,
    tally,
)
from bot.domain.models import Member

LABEL = "考勤登记表"
LEGEND = "说明：√ 出席；迟到；请假；缺席；（代签）他人在会上代为签到；（补记）会后由书记更正补记；（已补课）缺席后已补课"
MARKS = {Presence.CHECKED_IN: "√", Presence.LATE: "迟到", Presence.ON_LEAVE: "请假", Presence.ABSENT: "缺席"}
NOTES = {Recorded.PROXY: "（代签）", Recorded.CORRECTED: "（补记）"}
MEETING_HEADERS = ["日期", "类别", "主题", "地点", "应到", "实到", "迟到", "请假", "缺席"]
TOTAL_HEADERS = ["出席", "请假", "缺席"]


@dataclass(frozen=True)
class Year:
    """What the register of one year shows: the held meetings, each one's marks by member, the people and the
    meetings' themes."""

    branch: str
    year: int
    zone: ZoneInfo
    held: list[Meeting]
    marks: dict[int, dict[int, Attendance]]  # meeting id → member id → mark
    people: dict[int, Member]
    themes: dict[int, str | None]


def cell_mark(status: Presence, recorded: Recorded, made_up: bool) -> str:
    """What the register shows for one member at one meeting: 迟到 apart from √, and a presence someone else
    recorded as 代签 (during the meeting) or 补记 (the secretary's correction after it)."""
    mark = MARKS[status]
    if status in PRESENT and recorded in NOTES:
        mark += NOTES[recorded]
    if made_up:
        mark += "（已补课）"
    return mark


def member_rows(data: Year) -> list[list]:
    """One row per member: the name, a mark per meeting, then 出席, 请假, 缺席 counted."""
    rows = []
    for member in sorted(data.people.values(), key=lambda p: p.id):
        line: list = [member.name]
        counts = {"present": 0, "leave": 0, "absent": 0}
        for meeting in data.held:
            row = data.marks[meeting.id].get(member.id)
            if row is None:
                line.append("")
                continue
            line.append(cell_mark(row.status, recorded_how(row, meeting.ends_at), row.made_up_at is not None))
            key = "present" if row.status in PRESENT else "leave" if row.status is Presence.ON_LEAVE else "absent"
            counts[key] += 1
        rows.append(line + [counts["present"], counts["leave"], counts["absent"]])
    return rows


def meeting_rows(data: Year) -> list[list]:
    """One row per held meeting: when, kind, theme, place, and its tally."""
    rows = []
    for meeting in data.held:
        marks = data.marks[meeting.id]
        expected = [data.people[i] for i in sorted(marks) if i in data.people]
        result = tally(expected, {i: a.status for i, a in marks.items()})
        rows.append([f"{meeting.starts_at.astimezone(data.zone):%Y-%m-%d %H:%M}", KIND_LABELS[meeting.kind],
                     data.themes[meeting.id] or "", meeting.place or "", len(result.expected),
                     len(result.present), len(result.late), len(result.on_leave), len(result.absent)])
    return rows


def register(data: Year) -> bytes:
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "考勤登记"
    append(sheet, [f"{data.branch} {data.year}年 党员组织生活考勤登记表"])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = ["姓名"] + [f"{m.starts_at.astimezone(data.zone):%m-%d} {KIND_LABELS[m.kind]}" for m in data.held]
    append(sheet, headers + TOTAL_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for row in member_rows(data):
        append(sheet, row)
    append(sheet, [LEGEND], gap=1)
    sheet.column_dimensions["A"].width = 12

    summary = book.create_sheet("活动一览")
    append(summary, MEETING_HEADERS)
    for row in meeting_rows(data):
        append(summary, row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
