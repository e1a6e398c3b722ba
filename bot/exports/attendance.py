"""考勤登记表: a branch's meetings of one year, read for the register (bot/documents/attendance.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.documents import XLSX, ExportFile, file_name
from bot.documents.attendance import LABEL, Year, register
from bot.exports import parse_year
from bot.features import Exporter, Feature
from bot.services import Services
from bot.services.meetings import theme_of
from storage import branches, meetings, members


async def year_of(svc: Services, branch_id: int, year: int) -> Year:
    """The year's meetings held so far (one that has not started yet counts nobody absent), their marks and the
    people, read in one snapshot."""
    now = svc.now()
    async with svc.db.read() as db:  # one snapshot: the meetings, their marks and the people agree
        branch = await branches.get(db, branch_id)
        zone = ZoneInfo(branch.tz or svc.settings.tz)
        held = await meetings.in_branch(db, branch_id, since=datetime(year, 1, 1, tzinfo=zone),
                                        until=min(datetime(year + 1, 1, 1, tzinfo=zone), now))
        marks = {m.id: {a.member_id: a for a in await meetings.attendance(db, m.id)} for m in held}
        people = {m.id: m for m in await members.in_branch(db, branch_id)}
        for by_member in marks.values():  # members who left since still belong in the year's register
            for member_id in by_member:
                if member_id not in people:
                    people[member_id] = await members.get(db, member_id)
        themes = {m.id: await theme_of(db, m) for m in held}
    as_of = min(now.astimezone(zone).date(), date(year, 12, 31))
    return Year(branch.name, year, zone, as_of, held, marks, people, themes)


async def build(svc: Services, branch_id: int, year: int) -> ExportFile:
    data = await year_of(svc, branch_id, year)
    return ExportFile(filename=file_name(data.branch, LABEL, year, "xlsx"), data=register(data), mime_type=XLSX)


FEATURE = Feature(name="attendance-book", exporters=(
    Exporter(name="attendance", label=LABEL, arg_help="年份，如 2026", parse=parse_year, build=build,
             aliases=("考勤", "考勤表", "签到")),))
