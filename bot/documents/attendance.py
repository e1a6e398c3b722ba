"""考勤登记表: a branch's meetings of one year as an XLSX register — one row per member, one column per meeting —
and a sheet listing the meetings (活动一览)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.documents.sheets import Column, Table, workbook
from bot.domain import dates
from bot.domain.meetings import (
    PRESENT,
    Attendance,
    Meeting,
    Presence,
    Recorded,
    recorded_how,
    tally,
    title_of,
)
from bot.domain.models import Member

LABEL = "考勤登记表"
LEGEND = "说明：√ 出席；迟到；请假；缺席；（代签）他人在会上代为签到；（补记）会后由书记更正补记；（已补课）缺席后已补课"
MARKS = {Presence.CHECKED_IN: "√", Presence.LATE: "迟到", Presence.ON_LEAVE: "请假", Presence.ABSENT: "缺席"}
NOTES = {Recorded.PROXY: "（代签）", Recorded.CORRECTED: "（补记）"}
MEETING_COLUMNS = (Column("日期", 18, "datetime"), Column("类别", 13, "mark"), Column("主题", 30),
                   Column("地点", 18), *(Column(h, 6, "number") for h in ("应到", "实到", "迟到", "请假", "缺席")))
TOTAL_HEADERS = ["出席", "请假", "缺席"]


@dataclass(frozen=True)
class Year:
    """What the register of one year shows: the meetings held by `as_of`, each one's marks by member, the people
    and the meetings' themes."""

    branch: str
    year: int
    zone: ZoneInfo
    as_of: date
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
        rows.append([meeting.starts_at.astimezone(data.zone).replace(tzinfo=None), title_of(meeting.kind, meeting.held, meeting.group_day),
                     data.themes[meeting.id] or "", meeting.place or "", len(result.expected),
                     len(result.present), len(result.late), len(result.on_leave), len(result.absent)])
    return rows


def register(data: Year) -> bytes:
    count = len(data.held)
    columns = [Column("姓名", 10)]
    columns += [Column(f"{dates.padded_month_day(m.starts_at.astimezone(data.zone))}\n{title_of(m.kind, m.held, m.group_day)}", 9, "mark")
                for m in data.held]
    columns += [Column(header, 6, "number") for header in TOTAL_HEADERS]
    groups = [("", 1), ("各次活动", count), ("合计（次）", 3)] if count else ()
    subtitle = f"统计至 {dates.padded_full_day(data.as_of)}，已召开 {count} 次（尚未召开的活动不计）"
    return workbook([
        Table("考勤登记", f"{data.branch} {data.year}年 党员组织生活考勤登记表", columns, member_rows(data),
              subtitle=subtitle, notes=[LEGEND], group_headers=groups),
        Table("活动一览", f"{data.branch} {data.year}年 组织生活活动一览", MEETING_COLUMNS, meeting_rows(data),
              subtitle=subtitle),
    ])
