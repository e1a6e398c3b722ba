"""The talk register, the thought-report register and book of a year, read (the book's photos fetched) for
bot/documents/talks.py."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.documents import DOCX, XLSX, ExportFile, file_name
from bot.documents.talks import REPORT_BOOK, REPORTS, TALKS, Report, Talk, report_book, report_register, talk_register
from bot.exports import parse_year
from bot.exports.files import fetch
from bot.features import Exporter, Feature
from bot.services import Services
from storage import branches, members, reports, submissions, talks


async def _names(svc: Services, ids: set[int]) -> dict[int, str]:
    return {i: (await members.get(svc.db, i)).name for i in ids}


async def build_talks(svc: Services, branch_id: int, year: int) -> ExportFile:
    """One row per talk of the year, by date."""
    branch = await branches.get(svc.db, branch_id)
    found = await talks.in_branch(svc.db, branch_id, date(year, 1, 1), date(year + 1, 1, 1))
    names = await _names(svc, {t.member_id for t in found} | {t.talker_id for t in found})
    rows = [Talk(t.day, names[t.member_id], names[t.talker_id], t.topic) for t in found]
    return ExportFile(file_name(branch.name, TALKS, year, "xlsx"), talk_register(branch.name, year, rows), XLSX)


async def _reports_of_year(svc: Services, branch_id: int, year: int, pictures: bool) -> tuple[str, list[Report]]:
    branch = await branches.get(svc.db, branch_id)
    zone = ZoneInfo(branch.tz or svc.settings.tz)
    since = datetime.combine(date(year, 1, 1), time(0), tzinfo=zone)
    until = datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=zone)
    found = await reports.in_branch(svc.db, branch_id, since, until)
    found.sort(key=lambda s: (s.author_id, s.submitted_at))  # each member's reports together, by date
    names = await _names(svc, {s.author_id for s in found})
    files = {r.id: [f for f in await submissions.files(svc.db, r.id) if f.file_kind == "photo"] for r in found}
    photos = await fetch(svc.settings, [f.file_id for fs in files.values() for f in fs]) if pictures else {}
    return branch.name, [Report(names[r.author_id], r.submitted_at.astimezone(zone).date(), r.status,
                                r.content.get("text") or "", len(files[r.id]),
                                tuple(photos[f.file_id] for f in files[r.id] if f.file_id in photos))
                         for r in found]


async def build_report_register(svc: Services, branch_id: int, year: int) -> ExportFile:
    branch, found = await _reports_of_year(svc, branch_id, year, pictures=False)
    return ExportFile(file_name(branch, REPORTS, year, "xlsx"), report_register(branch, year, found), XLSX)


async def build_report_book(svc: Services, branch_id: int, year: int) -> ExportFile:
    """The year's reports, member by member, each by date, with their photos."""
    branch, found = await _reports_of_year(svc, branch_id, year, pictures=True)
    return ExportFile(file_name(branch, REPORT_BOOK, year, "docx"), report_book(branch, year, found), DOCX)


FEATURE = Feature(name="talk-books", exporters=(
    Exporter(name="talks", label=TALKS, arg_help="年份，如 2026", parse=parse_year, build=build_talks),
    Exporter(name="reports", label=REPORTS, arg_help="年份，如 2026", parse=parse_year,
             build=build_report_register),
    Exporter(name="reportbook", label=REPORT_BOOK, arg_help="年份，如 2026", parse=parse_year,
             build=build_report_book, approvers_only=True),
))
