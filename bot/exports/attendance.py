"""考勤登记表: a branch's meetings of one year as an XLSX register — one row per member, one column per meeting."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from bot.domain.meetings import (
    KIND_LABELS,
    PRESENT,
    Presence,
    Recorded,
    recorded_how,
    tally,
)
from bot.exports import XLSX, Exporter, ExportFile, file_name, parse_year
from bot.features import Feature
from bot.services import Services
from bot.services.attendance import theme_of
from storage import branches, meetings, members

LABEL = "考勤登记表"
LEGEND = "说明：√ 出席；迟到；请假；缺席；（代签）他人在会上代为签到；（补记）会后由书记更正补记；（已补课）缺席后已补课"
MARKS = {Presence.CHECKED_IN: "√", Presence.LATE: "迟到", Presence.ON_LEAVE: "请假", Presence.ABSENT: "缺席"}


NOTES = {Recorded.PROXY: "（代签）", Recorded.CORRECTED: "（补记）"}


def cell_mark(status: Presence, recorded: Recorded, made_up: bool) -> str:
    """What the register shows for one member at one meeting: 迟到 apart from √, and a presence someone else
    recorded as 代签 (during the meeting) or 补记 (the secretary's correction after it)."""
    mark = MARKS[status]
    if status in PRESENT and recorded in NOTES:
        mark += NOTES[recorded]
    if made_up:
        mark += "（已补课）"
    return mark


async def build(svc: Services, branch_id: int, year: int) -> ExportFile:
    async with svc.db.read() as db:  # one snapshot: the meetings, their marks and the people agree
        branch = await branches.get(db, branch_id)
        zone = ZoneInfo(branch.tz or svc.settings.tz)
        held = [m for m in await meetings.in_branch(db, branch_id, since=datetime(year, 1, 1, tzinfo=zone),
                                                    until=datetime(year + 1, 1, 1, tzinfo=zone))]
        rows = {m.id: {a.member_id: a for a in await meetings.attendance(db, m.id)} for m in held}
        people = {m.id: m for m in await members.in_branch(db, branch_id)}
        for by_member in rows.values():  # members who left since still belong in the year's register
            for member_id in by_member:
                if member_id not in people:
                    people[member_id] = await members.get(db, member_id)
        themes = {m.id: await theme_of(db, m) for m in held}

    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "考勤登记"
    sheet.append([f"{branch.name} {year}年 党员组织生活考勤登记表"])
    sheet["A1"].font = Font(bold=True, size=14)
    headers = ["姓名"] + [f"{m.starts_at.astimezone(zone):%m-%d} {KIND_LABELS[m.kind]}" for m in held]
    sheet.append(headers + ["出席", "请假", "缺席"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for member in sorted(people.values(), key=lambda p: p.id):
        line, counts = [member.name], {"present": 0, "leave": 0, "absent": 0}
        for meeting in held:
            row = rows[meeting.id].get(member.id)
            if row is None:
                line.append("")
                continue
            line.append(cell_mark(row.status, recorded_how(row, meeting.ends_at), row.made_up_at is not None))
            key = "present" if row.status in PRESENT else "leave" if row.status is Presence.ON_LEAVE else "absent"
            counts[key] += 1
        sheet.append(line + [counts["present"], counts["leave"], counts["absent"]])
    sheet.append([])
    sheet.append([LEGEND])
    sheet.column_dimensions["A"].width = 12

    summary = book.create_sheet("活动一览")
    summary.append(["日期", "类别", "主题", "地点", "应到", "实到", "迟到", "请假", "缺席"])
    for meeting in held:
        expected = [people[i] for i in sorted(rows[meeting.id]) if i in people]
        result = tally(expected, {i: a.status for i, a in rows[meeting.id].items()})
        summary.append([f"{meeting.starts_at.astimezone(zone):%Y-%m-%d %H:%M}", KIND_LABELS[meeting.kind],
                        themes[meeting.id] or "", meeting.place or "", len(result.expected),
                        len(result.present),
                        len(result.late), len(result.on_leave), len(result.absent)])
    out = BytesIO()
    book.save(out)
    return ExportFile(filename=file_name(branch.name, LABEL, year, "xlsx"), data=out.getvalue(), mime_type=XLSX)


FEATURE = Feature(name="attendance-book", exporters=(
    Exporter(name="attendance", label=LABEL, arg_help="年份，如 2026", parse=parse_year, build=build,
             aliases=("考勤", "考勤表", "签到")),))
