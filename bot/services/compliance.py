"""三会一课完成情况: /compliance [quarter] for the committee, and a warning to the secretary when a required
meeting has not even been scheduled by the middle of its month / quarter / half-year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.callbacks import scheduling as scheduling_cb
from bot.domain import cadence as rules
from bot.domain import dates
from bot.domain.cadence import MeetingFact, MinutesState, Period
from bot.domain.cadence import Warning as UnscheduledWarning
from bot.domain.meetings import KIND_LABELS
from bot.domain.minutes import MeetingRules, work_calendar
from bot.domain.models import Branch, Member
from bot.domain.outbox import Planned
from bot.domain.roles import APPROVER_ROLES
from bot.errors import UserError
from bot.features import Feature
from bot.keys import compliance as compliance_keys
from bot.outgoing import Outgoing, button
from bot.services import Services, membership, policy, theme_due, workdays
from bot.services import meetings as meeting_service
from bot.services.minutes import record_of
from bot.services.scheduling import party_groups
from storage import branches, marks, meetings, members, outbox

REACH = timedelta(days=14)  # how far a week or fortnight of 专题学习 reaches over a year's or report's edge


async def facts_of(svc: Services, branch_id: int, since: datetime, until: datetime, tz: str) -> list[MeetingFact]:
    found = []
    for meeting in await meetings.in_branch(svc.db, branch_id, since=since, until=until):
        if meeting.status == "cancelled":  # a called-off meeting neither counts nor is "scheduled"
            continue
        record = await record_of(svc.db, meeting.id)
        state = MinutesState(record.status.value) if record else MinutesState.NONE
        for kind in (meeting.kind, *meeting.held):  # a theme day holding a 支部党员大会 counts for both
            found.append(MeetingFact(kind, rules.local_day(meeting.starts_at, tz), meeting.starts_at,
                                     meeting.audience, state, meeting.id))
    return found


async def _working(svc: Services, branch_id: int, settings: MeetingRules, today: date) -> Callable[[date], bool] | None:
    """The branch's working days (its rules' own days over its units' entries) where a weekly or fortnightly cadence
    is asked (a holiday week asks none); None otherwise: a month or longer always has working days, and the daily
    scan need not read the calendar."""
    if not rules.by_days(settings.cadences):
        return None
    return work_calendar(settings, await workdays.layers_of_branch(svc.db, branch_id, today)).is_working_day


@dataclass
class Report:
    period: Period
    kinds: list[rules.KindReport]
    labels: dict
    theme_late: list[int] = field(default_factory=list)  # months whose theme was not fixed by the due day
    group_days: list[rules.GroupDays] = field(default_factory=list)  # the party groups' own theme days


async def report(svc: Services, telegram_id: int, text: str | None) -> Report:
    """The period's report (default: the current quarter); committee members only."""
    actor = await membership.active_member(svc, telegram_id)
    if not actor.is_committee:
        raise UserError("common/not_allowed.j2")
    branch = await branches.get(svc.db, actor.branch_id)
    tz = meeting_service.tz_of(svc, branch)
    now = svc.now()
    today = rules.local_day(now, tz)
    if text:
        try:
            period = rules.parse_period(text, today)
        except ValueError as exc:
            raise UserError("compliance/bad_period.j2", reason=str(exc)) from None
    else:
        period = rules.quarter_of(today)
    settings = await policy.rules_of(svc.db, branch.id)  # the cadences in force, by its units' policy
    # A half-year 党课 reported by quarter is judged over its whole half-year; a week or fortnight of 专题学习 may
    # reach a fortnight beyond either edge.
    first = rules.half(period.start.year, 1 if period.start.month <= 6 else 2).start - REACH
    since = rules.local_midnight(first, tz)
    until = rules.local_midnight(max(period.end, rules.half(period.start.year, 2).end) + REACH, tz)
    facts = await facts_of(svc, branch.id, since, until, tz)
    groups = party_groups(await members.in_branch(svc.db, branch.id))
    kinds = rules.compliance(settings.cadences, period, facts, now, today, groups,
                             await _working(svc, branch.id, settings, today))
    late = await theme_due.late_months(svc, branch, period.start, period.end, now)
    days = rules.group_days(facts, period, groups, now)
    return Report(period, kinds, {k.value: v for k, v in KIND_LABELS.items()}, late, days)



def warnings_wanted(branch_id: int, warnings: list[UnscheduledWarning], approvers: list[Member],
                    now: datetime) -> list[Planned]:
    """Today's warnings, one per approver each. A stable key per window: a warning goes out once, however many
    days it stays true; one no longer true (the meeting got scheduled) before it went out is withdrawn."""
    wanted = []
    for warning in warnings:
        last = warning.window.end - timedelta(days=1)
        params = {"kind": KIND_LABELS[warning.kind], "window": warning.window.label, "group": warning.target,
                  "end": dates.month_day(last)}
        # The warning carries the button that starts scheduling that kind of meeting.
        schedule = [[button("scheduling/schedule", scheduling_cb.schedule(warning.kind), kind=KIND_LABELS[warning.kind])]]
        for approver in approvers:
            if approver.telegram_id is None or not approver.reachable:
                continue
            wanted.append(Planned(
                key=compliance_keys.warn(branch_id, warning.key, approver.id),
                chat_id=approver.telegram_id, kind="compliance.warn",
                payload=Outgoing(template="compliance/warn.j2", params=params, buttons=schedule), due_at=now,
                branch_id=branch_id, member_id=approver.id))
    return wanted


async def warnings_of(svc: Services, branch: Branch, now: datetime) -> list[Planned]:
    """The branch's warnings as its current state (cadences, meetings scheduled, approvers) needs them today."""
    tz = meeting_service.tz_of(svc, branch)
    today = rules.local_day(now, tz)
    settings = await policy.rules_of(svc.db, branch.id)
    since = rules.local_midnight(rules.whole_year(today.year).start - REACH, tz)
    facts = await facts_of(svc, branch.id, since, now + timedelta(days=366), tz)
    groups = party_groups(await members.in_branch(svc.db, branch.id))
    started = rules.local_day(branch.created_at, tz)
    warnings = rules.unscheduled_warnings(settings.cadences, facts, today, groups, since=started,
                                          working=await _working(svc, branch.id, settings, today))
    return warnings_wanted(branch.id, warnings, await members.with_role(svc.db, branch.id, APPROVER_ROLES), now)


async def warn_unscheduled(svc: Services, now: datetime) -> None:
    """Tick, once a day per branch: tell the approvers about required meetings not scheduled by mid-window."""
    # The county is looked through once an hour; each branch once per local day (its own date, not UTC's).
    scan = compliance_keys.scanned(now)
    if not await marks.missing(svc.db, [scan]):
        return
    async with svc.db.write() as db:
        if not await marks.claim(db, scan, now):
            return
    keys = {}
    for branch_id in await branches.all_ids(svc.db):
        branch = await branches.get(svc.db, branch_id)
        keys[compliance_keys.checked(branch_id, rules.local_day(now, meeting_service.tz_of(svc, branch)))] = branch
    for key in await marks.missing(svc.db, list(keys)):
        branch = keys[key]
        wanted = await warnings_of(svc, branch, now)
        async with svc.db.write() as db:
            if not await marks.claim(db, key, now):
                continue
            await outbox.converge(db, compliance_keys.warn.scope(branch.id), wanted, now)
        svc.wake_outbox()


FEATURE = Feature(name="compliance", ticks=(warn_unscheduled,))
