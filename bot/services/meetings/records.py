"""What members and the committee read back: /me's history, /attendance by month or meeting, the digest's
overdue make-ups, and catching a newcomer up on coming meetings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import meetings as meetings_cb
from bot.domain import dates, when
from bot.domain import meetings as rules
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Branch, Member
from bot.domain.review import SubmissionStatus
from bot.domain.roles import can_proxy_checkin
from bot.errors import UserError
from bot.features import DigestLines
from bot.keys import refs
from bot.outgoing import Button, button
from bot.services import Services, membership
from bot.services.digest import line as digest_line
from bot.services.meetings.close import MeetingTally, makeup_due, tally_of
from bot.services.meetings.common import (
    MAKEUP,
    describe,
    meeting_in_branch,
    tz_of,
)
from bot.services.meetings.reminders import plan_reminders
from storage import branches, meetings, members, study_notes, submissions
from storage.connection import Conn

# --- records ---------------------------------------------------------------------------------------------------------

async def history(svc: Services, telegram_id: int) -> tuple[Member, list[dict]]:
    """/me: the member's own attendance, newest first, with the state of each make-up."""
    member = await membership.active_member(svc, telegram_id)
    lines = []
    for meeting, row in await meetings.history_of(svc.db, member.id):
        info = await describe(svc, svc.db, meeting)
        makeup = await submissions.find(svc.db, MAKEUP, refs.meeting(meeting.id), member.id)
        lines.append({**info, "status": row.status.value, "proxy": row.by_member is not None and row.status in
                      rules.PRESENT, "made_up": row.made_up_at is not None,
                      "makeup": makeup.status.value if makeup else None, "makeup_id": makeup.id if makeup else None,
                      "noted": meeting.kind is MeetingKind.STUDY
                      and await study_notes.text_of(svc.db, meeting.id, member.id) is not None})
    return member, lines


async def _overdue_makeups(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, DigestLines]:
    """Digest: make-ups past their deadline and not handed in (handed-in ones show under 待审核), with a button to
    each meeting's tally."""
    return {branch_id: await _overdue_makeups_of(svc, rows, now)
            for branch_id, rows in (await meetings.not_made_up_in(svc.db, [b.id for b in batch])).items()}


async def _overdue_makeups_of(svc: Services, rows: list[tuple[Meeting, int]], now: datetime) -> DigestLines:
    lines, meetings_named = [], {}
    for meeting, member_id in rows:
        if makeup_due(meeting) >= now:
            continue
        submission = await submissions.find(svc.db, MAKEUP, refs.meeting(meeting.id), member_id)
        if submission is not None and submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
            continue
        member = await members.get(svc.db, member_id)
        if member.telegram_id is None:
            continue  # cannot hand it in: listed under 待记录补课 instead
        info = await describe(svc, svc.db, meeting)
        lines.append(digest_line("overdue_makeup", name=member.name, meeting=info["name"]))
        meetings_named[meeting.id] = info["name"]
    return DigestLines(lines, _tally_buttons(meetings_named))


async def _makeups_to_record(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, DigestLines]:
    """Digest: members without a smartphone who missed a meeting; the secretary or a 支委 records their make-up from
    that meeting's tally (a button to each)."""
    return {branch_id: await _makeups_to_record_of(svc, rows)
            for branch_id, rows in (await meetings.not_made_up_in(svc.db, [b.id for b in batch])).items()}


async def _makeups_to_record_of(svc: Services, rows: list[tuple[Meeting, int]]) -> DigestLines:
    lines, meetings_named = [], {}
    for meeting, member_id in rows:
        member = await members.get(svc.db, member_id)
        if member.telegram_id is None and member.is_active:
            info = await describe(svc, svc.db, meeting)
            lines.append(digest_line("makeup_to_record", name=member.name, meeting=info["name"]))
            meetings_named[meeting.id] = info["name"]
    return DigestLines(lines, _tally_buttons(meetings_named))


def _tally_buttons(meetings_named: dict[int, str]) -> list[Button]:
    return [button("digest/tally", meetings_cb.tally_show(meeting_id), meeting=name)
            for meeting_id, name in list(meetings_named.items())[:5]]


async def _records_reader(svc: Services, telegram_id: int) -> Member:
    actor = await membership.active_member(svc, telegram_id)
    if not (actor.is_committee or can_proxy_checkin(actor.roles)):
        raise UserError("common/not_allowed.j2")
    return actor


async def attendance_for_meeting(svc: Services, telegram_id: int, meeting_id: int) -> MeetingTally:
    actor = await _records_reader(svc, telegram_id)
    result = await tally_of(svc, await meeting_in_branch(svc, actor, meeting_id))
    result.viewer_id = actor.id
    return result


async def attendance_for(svc: Services, telegram_id: int, month_text: str | None) -> tuple[str, list[MeetingTally]]:
    """/attendance [month]: the tallies of that month's meetings (default: the latest meeting so far)."""
    actor = await _records_reader(svc, telegram_id)
    branch = await branches.get(svc.db, actor.branch_id)
    zone = ZoneInfo(tz_of(svc, branch))
    now = svc.now()
    if month_text:
        read = when.read_month(month_text, now.astimezone(zone).date())
        if isinstance(read, when.Refusal):
            raise UserError("meetings/bad_month.j2")
        year, month = read
        since = datetime(year, month, 1, tzinfo=zone)
        until = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
        chosen = await meetings.in_branch(svc.db, branch.id, since=since, until=until)
        label = dates.year_month(year, month)
    else:
        started = await meetings.in_branch(svc.db, branch.id, until=now + timedelta(seconds=1))
        if not started:
            started = (await meetings.upcoming_in_branch(svc.db, branch.id, now))[:1]
        chosen = started[-1:]
        label = None
    tallies = [await tally_of(svc, m) for m in chosen]
    for tally in tallies:
        tally.viewer_id = actor.id
    return label or "", tallies


async def _catch_up_new_member(svc: Services, db: Conn, member: Member, now: datetime) -> None:
    """Someone joined before a coming meeting: plan their reminders now rather than at tomorrow's re-plan."""
    for meeting in await meetings.upcoming_in_branch(db, member.branch_id, now):
        await plan_reminders(svc, db, meeting, now)


