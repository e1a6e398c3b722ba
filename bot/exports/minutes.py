"""会议记录本: a branch's approved minutes of a quarter, half-year or year, read (with the photos fetched) for the
book (bot/documents/minutes.py) — every meeting in one book, or one book per kind of 三会一课 (分门别类) — and the
one-meeting book an approved record is filed with (备案)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from bot.documents import DOCX, ExportFile, file_name
from bot.documents.minutes import KIND_BOOKS, LABEL, Book, book_docx, kind_label
from bot.domain import cadence, dates
from bot.domain import filing as filing_rules
from bot.domain.cadence import Period
from bot.domain.meetings import MeetingKind, title_of
from bot.domain.review import SubmissionStatus
from bot.exports.files import fetch
from bot.features import Exporter, Feature
from bot.keys import refs
from bot.services import Services
from bot.services import meetings as meeting_service
from bot.services.filing import MINUTES
from bot.services.minutes_deadline import record_of
from storage import branches, meetings, minutes, submissions

PERIOD_HELP = "季度、半年或年份，如 2026Q4、2026H2、2026"
KIND_NAMES = {MeetingKind.ASSEMBLY: "assembly", MeetingKind.COMMITTEE: "committee", MeetingKind.GROUP: "group",
              MeetingKind.LECTURE: "lecture", MeetingKind.STUDY: "study"}
KIND_ALIASES = {MeetingKind.ASSEMBLY: ("党员大会", "支部党员大会", "大会记录"),
                MeetingKind.COMMITTEE: ("支委会", "支部委员会", "支委会记录"),
                MeetingKind.GROUP: ("党小组会", "小组会", "党小组会记录"),
                MeetingKind.LECTURE: ("党课", "党课记录"),
                MeetingKind.STUDY: ("专题学习", "学习记录", "专题学习记录")}


def parse(text: str) -> Period:
    return cadence.parse_period(text, None, allow_year=True)


async def approved_in(db, branch_id: int, since, until, only: set[int] | None = None,
                      kind: MeetingKind | None = None) -> list:
    """(meeting, approved record, its files) of the branch's meetings in [since, until) (of one kind, if given), in
    date order; `only` keeps just those records. The data of the book, and of a unit's minutes list."""
    approved = []
    for meeting in await meetings.in_branch(db, branch_id, kind=kind, since=since, until=until):
        record = await record_of(db, meeting.id)
        if record is not None and record.status is SubmissionStatus.APPROVED and (only is None or record.id in only):
            approved.append((meeting, record, await submissions.files(db, record.id)))
    return approved


async def build(svc: Services, branch_id: int, period: Period, only: set[int] | None = None,
                kind: MeetingKind | None = None) -> ExportFile:
    """The book of the period (of one kind of meeting, if given); `only` keeps just those records (a filing
    digest sends one record as a book)."""
    async with svc.db.read() as db:  # one snapshot: the meetings, their records and files agree
        branch = await branches.get(db, branch_id)
        tz = meeting_service.tz_of(svc, branch)
        since, until = cadence.local_midnight(period.start, tz), cadence.local_midnight(period.end, tz)
        approved = await approved_in(db, branch_id, since, until, only, kind)
        leaders = await minutes.lectures_by_leaders(db, branch_id, since, until) if kind is MeetingKind.LECTURE \
            and only is None else None
    photos = await fetch(svc.settings, [f.file_id for _, _, files in approved for f in files if f.file_kind == "photo"])
    label = kind_label(kind) if kind else LABEL
    data = book_docx(Book(branch.name, label, period.label, cadence.ZoneInfo(tz), approved, photos, leaders))
    return ExportFile(filename=file_name(branch.name, label, period.code, "docx"), data=data, mime_type=DOCX)


async def filed_minutes(svc: Services, filing: filing_rules.Filing) -> tuple[str, bytes] | None:
    """备案: the filed record as a one-meeting minutes book (the same layout as /export minutes)."""
    record = await submissions.get(svc.db, refs.submission.read(filing.ref).submission)
    meeting = await meetings.get(svc.db, refs.meeting.read(record.ref).meeting) if record else None
    if meeting is None:
        return None
    branch = await branches.get(svc.db, filing.branch_id)
    tz = branch.tz or svc.settings.tz
    day = filing_rules.local_date(meeting.starts_at, tz)
    period = Period(label=dates.full_day(day), code=dates.compact_day(day), start=day,
                    end=day + timedelta(days=1))
    book = await build(svc, filing.branch_id, period, only={record.id})
    # The start time keeps two meetings of one day apart.
    when = dates.compact_moment(meeting.starts_at, tz)
    return file_name(branch.name, f"{title_of(meeting.kind, meeting.held)}记录", when, "docx"), book.data


def _kind_exporter(kind: MeetingKind) -> Exporter:
    return Exporter(name=f"minutes_{KIND_NAMES[kind]}", label=kind_label(kind), arg_help=PERIOD_HELP, parse=parse,
                    build=partial(build, kind=kind), aliases=KIND_ALIASES[kind], by_quarter=True)


FEATURE = Feature(name="minutes-book", exporters=(
    Exporter(name="minutes", label=LABEL, arg_help=PERIOD_HELP, parse=parse, build=build,
             aliases=("会议记录", "记录本", "三会一课"), by_quarter=True),
    *(_kind_exporter(kind) for kind in KIND_BOOKS),
), filing_files={MINUTES: filed_minutes})
