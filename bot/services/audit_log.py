"""The audit log, readable: /audit shows a secretary their branch's decisions and an officer their subtree's, newest
first, a page at a time, in Chinese — who, what, when, about whom (action codes become words in
templates/audit/action.j2, never shown raw). The exports' audit sheet uses the same words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain import dates
from bot.domain.evaluation import parse_grade
from bot.domain.meetings import KIND_LABELS
from bot.domain.models import AuditEntry
from bot.errors import UserError
from bot.keys import refs
from bot.render import plain_text, render, word
from bot.services import Services, inspectors, membership
from storage import audit_log as store
from storage import branches, evaluation, meetings, members, submissions
from storage import filing as filing_store
from storage import inspectors as inspector_store
from storage import tasks as task_store
from storage import units as unit_store

PAGE_SIZE = 10
NOTE_MAX = 40


def action_label(action: str) -> str:
    return plain_text(render("audit/action.j2", action=action))


@dataclass
class Line:
    at: datetime
    branch: str
    who: str
    what: str
    about: str
    note: str


async def scope_of(svc: Services, telegram_id: int) -> list[int]:
    """The branches whose log this person may read: an officer's subtree, a secretary's (or deputy's) branch."""
    ids = {b.id for b in await inspectors.readable_branches(svc, telegram_id)}
    if ids:
        await inspectors.require_reader(svc, telegram_id, "audit")  # an inspector's read is audited
    member = await membership.member_of(svc, telegram_id)
    if member is not None and member.is_active and member.is_approver:
        ids.add(member.branch_id)
    if not ids:
        raise UserError("audit/not_allowed.j2")
    return sorted(ids)


@dataclass
class Page:
    lines: list[Line]
    number: int
    has_next: bool
    several_branches: bool


async def page_for(svc: Services, telegram_id: int, number: int = 0) -> Page:
    ids = await scope_of(svc, telegram_id)
    number = max(number, 0)
    found = await store.page(svc.db, ids, number * PAGE_SIZE, PAGE_SIZE + 1)
    lines = [await describe(svc, entry) for entry in found[:PAGE_SIZE]]
    return Page(lines, number, len(found) > PAGE_SIZE, len(ids) > 1)


async def describe(svc: Services, entry: AuditEntry) -> Line:
    branch = await branches.get(svc.db, entry.branch_id) if entry.branch_id else None
    return Line(entry.at, branch.name if branch else "", await _who(svc, entry), action_label(entry.action),
                await _about(svc, entry.subject), _note(entry))


async def _who(svc: Services, entry: AuditEntry) -> str:
    if entry.actor_id is not None:
        member = await members.get(svc.db, entry.actor_id)
        if member is not None:
            return member.name
    officer = entry.detail.get("by")
    if isinstance(officer, int):
        for unit_id in await unit_store.units_of_officer(svc.db, officer):
            named = [o.name for o in await unit_store.officers_of(svc.db, unit_id) if o.telegram_id == officer]
            unit = await unit_store.get(svc.db, unit_id)
            return word("audit/officer", unit=unit.name, name=named[0] if named else None)
        for unit_id in await inspector_store.units_of(svc.db, officer):
            named = [i.name for i in await inspector_store.of_unit(svc.db, unit_id) if i.telegram_id == officer]
            unit = await unit_store.get(svc.db, unit_id)
            return word("audit/inspector", unit=unit.name, name=named[0] if named else None)
        return word("audit/upper_officer")
    return word("audit/system")


async def _about(svc: Services, subject: str | None) -> str:
    """The person or thing an entry is about, by name (ids stay inside); nothing for a subject without a name."""
    for ref, name_of in _NAMES:
        found = ref.parse(subject)
        if found is not None:
            return await name_of(svc, *found)
    return ""


async def _member(svc: Services, member_id: int) -> str:
    member = await members.get(svc.db, member_id)
    return member.name if member else ""


async def _author(svc: Services, submission_id: int) -> str:
    submission = await submissions.get(svc.db, submission_id)
    return await _member(svc, submission.author_id) if submission else ""


async def _campaign(svc: Services, campaign_id: int) -> str:
    campaign = await evaluation.get(svc.db, campaign_id)
    return word("audit/campaign", year=campaign.year) if campaign else ""


async def _meeting(svc: Services, meeting_id: int) -> str:
    meeting = await meetings.get(svc.db, meeting_id)
    return f"{KIND_LABELS[meeting.kind]} {dates.short_numeric_day(meeting.starts_at, svc.settings.tz)}" if meeting else ""


async def _branch(svc: Services, branch_id: int) -> str:
    branch = await branches.get(svc.db, branch_id)
    return branch.name if branch else ""


async def _unit(svc: Services, unit_id: int) -> str:
    unit = await unit_store.get(svc.db, unit_id)
    return unit.name if unit else ""


async def _followup(svc: Services, followup_id: int) -> str:
    followup = await filing_store.get_followup(svc.db, followup_id)
    if followup is None:
        return ""
    if followup.member_id is not None:
        return await _member(svc, followup.member_id)
    return (followup.reason or "")[:NOTE_MAX]  # a branch's problem: its line


async def _filing(svc: Services, filing_id: int) -> str:
    filed = await filing_store.get(svc.db, filing_id)
    return filed.title if filed else ""


async def _task(svc: Services, task_id: int) -> str:
    task = await task_store.get(svc.db, task_id)
    return task.title if task else ""


_NAMES = ((refs.member, _member), (refs.submission, _author), (refs.evaluation, _campaign), (refs.meeting, _meeting),
          (refs.branch, _branch), (refs.unit, _unit), (refs.followup, _followup), (refs.filing, _filing),
          (refs.task, _task))


def _note(entry: AuditEntry) -> str:
    detail = entry.detail
    if entry.action == "inspector.read":
        return word("audit/read_what", what=str(detail.get("what") or ""))
    grade = parse_grade(str(detail.get("grade") or ""))
    text = detail.get("comment") or detail.get("note") or (grade.label if grade else "")
    text = str(text or "")
    return text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"


async def lines_between(svc: Services, branch_ids: list[int], since: datetime, until: datetime) -> list[Line]:
    """Every entry of these branches in a period, oldest first: the exports' audit sheet."""
    return [await describe(svc, e) for e in await store.between(svc.db, branch_ids, since, until)]
