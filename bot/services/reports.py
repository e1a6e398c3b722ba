"""思想汇报 (thought reports): /report takes as many messages and photos of a handwritten report as the member
sends, each kept at once, until 提交; the report goes through the one review mechanism. 预备党员 are asked once a
period (the branch's `report_months`, a quarter by default), full members once every `member_report_months` where
the branch asks it (seed 002: 党员定期汇报思想), with a reminder carrying the /report button; anyone may report at
any time; overdue ones are in the secretary's digest. Each report is a submission of kind 'report',
filed by the date it was handed in (the register and the Word book are in bot/exports/talks.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.callbacks import reports as reports_cb
from bot.callbacks.commands import Command
from bot.domain import dates
from bot.domain import talks as rules
from bot.domain.models import Branch, Member
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.review import Submission, SubmissionStatus
from bot.domain.roles import Role
from bot.features import Feature, ForBranches
from bot.keys import reports as report_keys
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, drafts
from bot.services.digest import line as digest_line
from bot.services.drafts import DraftKind
from bot.services.review import ReviewKind
from storage import (
    branches,
    marks,
    members,
    outbox,
    reports,
    submissions,
)
from storage.connection import Conn

KIND = reports.KIND
TEXT_MAX = 5000
PHOTOS_MAX = 20
REMIND = "report.remind"


def tz_of(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz


async def _handed_in(svc: Services, member: Member, submission: Submission) -> dict:
    """What /report shows besides the draft: how many reports the member handed in before, and the latest's date."""
    mine = [s for s in await submissions.by_author(svc.db, member.id, KIND)
            if s.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED) and s.submitted_at]
    last = max((s.submitted_at for s in mine), default=None)
    branch = await branches.get(svc.db, member.branch_id)
    day = rules.local_day(last, tz_of(svc, branch)) if last else None
    return {"handed_in": len(mine), "last_day": dates.month_day(day) if day else None}


async def _submitted(svc: Services, db: Conn, submission: Submission) -> None:
    """Handed in: this period's reminder is no longer owed."""
    await outbox.cancel_prefix(db, report_keys.every.scope(submission.author_id), svc.now())


DRAFT = DraftKind(kind=KIND, text_max=TEXT_MAX, files_max=PHOTOS_MAX, ask="reports/ask.j2",
                  kept="reports/kept.j2", extra=_handed_in, on_submit=_submitted)


async def start(svc: Services, telegram_id: int) -> drafts.Draft:
    """/report (or the reminder's button): the report under way (or returned for changes), else a new one; what
    the member sends next goes into it."""
    return await drafts.start(svc, DRAFT, telegram_id)


# --- asked once a period: 预备党员, and full members where the branch asks it -------------------------------------

def months_of(branch: Branch, member: Member) -> int | None:
    """How often the member is asked (None: not asked)."""
    return rules.months_between_reports(Role.PROBATIONARY in member.roles, branch.settings.report_months,
                                        branch.settings.member_report_months)


async def plan_reminder(svc: Services, db: Conn, branch: Branch, member: Member, now: datetime,
                        at: datetime | None = None) -> bool:
    """Plan the member's reminder of the current period (stable key: planning again changes nothing once sent);
    none when they have already reported in it, or are not asked."""
    months = months_of(branch, member)
    if member.telegram_id is None or not member.reachable or months is None:
        return False
    tz = tz_of(svc, branch)
    period = rules.period_of(rules.local_day(now, tz), months)
    start = rules.period_end_at(rules.previous_period(period, months), tz)
    if await reports.handed_in_since(db, member.id, start):
        return False
    due = at or max(rules.report_reminder_at(period, tz), now)
    await outbox.upsert(db, Planned(
        key=report_keys.reminder(member.id, period.key), chat_id=member.telegram_id, kind=REMIND,
        payload=Outgoing(template="reports/reminder.j2", params={"period": period.label},
                         buttons=[[button("reports/write", reports_cb.start())]]),
        due_at=due, expires_at=rules.period_end_at(period, tz), branch_id=branch.id, member_id=member.id), now)
    return True


async def plan_reminders(svc: Services, now: datetime) -> None:
    """Tick, once a day per branch: the current period's reminder of each member who is asked."""
    due = {}
    days: dict[str, date] = {}  # branches share a few time zones
    for branch in await branches.every(svc.db):
        tz = tz_of(svc, branch)
        day = days[tz] if tz in days else days.setdefault(tz, rules.local_day(now, tz))
        due[report_keys.planned(branch.id, day)] = branch
    for key in await marks.missing(svc.db, list(due)):
        branch = due[key]
        async with svc.db.write() as db:
            if not await marks.claim(db, key, now):
                continue
            for member in (await _asked(db, [branch])).get(branch.id, []):
                await plan_reminder(svc, db, branch, member, now)
        svc.wake_outbox()


async def _asked(db: Conn, batch: Sequence[Branch]) -> dict[int, list[Member]]:
    """branch id → the active members it asks for reports: the 预备党员, and everyone where full members are
    asked too (the others are not read at all: most branches have a few 预备党员 among many)."""
    everyone = [b.id for b in batch if b.settings.member_report_months]
    return {**await members.in_branches(db, everyone),
            **await members.with_role_in(db, [b.id for b in batch if b.id not in everyone], [Role.PROBATIONARY])}


async def _still_owed(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """Only to a member still in the branch and still asked who has not reported in the period since."""
    member = await members.get(svc.db, row.member_id) if row.member_id else None
    if member is None or not member.is_active:
        return False
    branch = await branches.get(svc.db, member.branch_id)
    months = months_of(branch, member)
    if months is None:
        return False
    tz = tz_of(svc, branch)
    period = rules.period_of(rules.local_day(now, tz), months)
    start = rules.period_end_at(rules.previous_period(period, months), tz)
    return not await reports.handed_in_since(svc.db, member.id, start)


async def _overdue(svc: Services, batch: Sequence[Branch], now: datetime) -> dict[int, list[str]]:
    """Digest: 预备党员 (and full members, where they are asked) a whole period passed without a report from."""
    asked = await _asked(svc.db, batch)
    last = await reports.last_handed_in(svc.db, list(asked))
    return {branch.id: _overdue_lines(svc, branch, asked[branch.id], last.get(branch.id, {}), now)
            for branch in batch if branch.id in asked}


def _overdue_lines(svc: Services, branch: Branch, asked: list[Member], last: dict[int, datetime],
                   now: datetime) -> list[str]:
    tz = tz_of(svc, branch)
    today = rules.local_day(now, tz)
    names: dict[bool, list[str]] = {True: [], False: []}
    for member in asked:
        months = months_of(branch, member)
        handed = rules.local_day(last[member.id], tz) if member.id in last else None
        if months and rules.report_overdue(handed, rules.local_day(member.created_at, tz), today, months):
            names[Role.PROBATIONARY in member.roles].append(member.name)
    return [digest_line("overdue_report", names=found, probationary=probationary)
            for probationary, found in names.items() if found]


async def ask_now(svc: Services, member: Member) -> None:
    """The demo's 预备党员 is asked for this period's report at once (the same row the daily plan would make)."""
    async with svc.db.write() as db:
        await plan_reminder(svc, db, await branches.get(db, member.branch_id), member, svc.now(), at=svc.now())
    svc.wake_outbox()


async def _todos(svc: Services, member: Member, now: datetime) -> list[Button]:
    """A 预备党员 whose report of this period is due (the reminder's time has come), or any report under way or
    returned for changes."""
    mine = await submissions.by_author(svc.db, member.id, KIND)
    if any(s.status is SubmissionStatus.RETURNED for s in mine):
        return [button("reports/todo", reports_cb.start(), returned=True)]
    if any(s.status is SubmissionStatus.DRAFT and s.content.get("text") for s in mine):
        return [button("reports/todo", reports_cb.start(), returned=False)]
    if Role.PROBATIONARY not in member.roles:
        return []
    branch = await branches.get(svc.db, member.branch_id)
    tz = tz_of(svc, branch)
    period = rules.period_of(rules.local_day(now, tz), branch.settings.report_months)
    start = rules.period_end_at(rules.previous_period(period, branch.settings.report_months), tz)
    if now < rules.report_reminder_at(period, tz) or await reports.handed_in_since(svc.db, member.id, start):
        return []
    return [button("reports/todo", reports_cb.start(), returned=False)]


FEATURE = Feature(
    name="reports",
    ticks=(plan_reminders,),
    relevance={REMIND: _still_owed},
    review_kinds=(ReviewKind(kind=KIND, card_template="reports/card.j2", fix_hint="/report",
                             fix_data=lambda s: reports_cb.start()),),
    drafts=(DRAFT,),
    digest_sections=(("reports_overdue", ForBranches(_overdue), Command.TALK),),  # a talk with them is the secretary's step
    todos=(_todos,),
)
