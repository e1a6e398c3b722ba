"""The month's theme fixed by a day of the month (seed 002: "每月5日统一确定党员固定活动日主题"; the branch setting
BranchSettings.theme_due_day): the secretary is reminded each day until the theme is set, and /compliance shows
the months whose theme was late (主题未按期确定)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import themeday as themeday_cb
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Branch
from bot.domain.outbox import OutboxRow, Planned
from bot.domain.roles import APPROVER_ROLES
from bot.features import Feature
from bot.keys import meetings as meeting_keys
from bot.outgoing import Outgoing, button
from bot.services import Services, policy
from bot.services import meetings as meeting_service
from storage import branches, marks, meetings, members, outbox, theme_due, themeday
from storage.connection import Conn

# Reminders start this many days before the due day (from the 1st for the 5th).
AHEAD_DAYS = 4


def deadline(period: str, due_day: int, tz: str) -> datetime:
    """The end of the due day, local."""
    year, month = (int(p) for p in period.split("-"))
    return datetime.combine(date(year, month, due_day) + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo(tz))


async def fixed_at(db: Conn, meeting: Meeting) -> datetime | None:
    """When the theme was fixed: the branch's own, or its nearest unit's for the month, whichever came first."""
    own = await theme_due.theme_set_at(db, meeting.id) if meeting.title else None
    unit = await themeday.theme_for_branch(db, meeting.branch_id, meeting.period)
    known = [t for t in (own, unit.fixed_at if unit else None) if t is not None]
    if meeting.title and own is None:
        return meeting.starts_at - timedelta(days=365)  # set before the time was recorded: count it as in time
    return min(known) if known else None


async def _this_months_theme_day(db: Conn, branch: Branch, period: str) -> Meeting | None:
    return await meetings.for_period(db, branch.id, MeetingKind.THEME_DAY, period)


async def remind(svc: Services, now: datetime) -> None:
    """Tick, once a local day per branch with the rule: from a few days before the due day until the theme is set."""
    every = await branches.every(svc.db)
    in_force = await policy.settings_by_branch(svc.db, every)
    for branch in every:
        due_day = in_force[branch.id].theme_due_day  # the branch's, or its units' earlier one
        if due_day is None:
            continue
        tz = meeting_service.tz_of(svc, branch)
        local = now.astimezone(ZoneInfo(tz))
        period = f"{local.year:04d}-{local.month:02d}"
        if local.day < due_day - AHEAD_DAYS:
            continue
        mark = meeting_keys.theme_due_checked(branch.id, local.date())
        if not await marks.missing(svc.db, [mark]):
            continue
        meeting = await _this_months_theme_day(svc.db, branch, period)
        async with svc.db.write() as db:
            if not await marks.claim(db, mark, now):
                continue
            if meeting is None or meeting.status != "scheduled" or await fixed_at(db, meeting) is not None:
                continue
            message = Outgoing(template="themeday/theme_due.j2",
                               params={"month": local.month, "day": due_day, "late": local.day > due_day},
                               buttons=[[button("themeday/theme", themeday_cb.change("theme"))]])
            for approver in await members.with_role(db, branch.id, APPROVER_ROLES):
                if approver.telegram_id is None:
                    continue
                await outbox.upsert(db, Planned(
                    key=meeting_keys.theme_due(meeting.id, local.date(), approver.id),
                    chat_id=approver.telegram_id, kind="themeday.theme_due", payload=message, due_at=now,
                    expires_at=meeting.starts_at, branch_id=branch.id, member_id=approver.id), now)
        svc.wake_outbox()


async def _still_unset(svc: Services, row: OutboxRow, now: datetime) -> bool:
    meeting = await meetings.get(svc.db, meeting_keys.theme_due.read(row.key).meeting)
    return meeting is not None and meeting.status == "scheduled" and await fixed_at(svc.db, meeting) is None


async def late_months(svc: Services, branch: Branch, since: date, until: date, now: datetime) -> list[int]:
    """/compliance: months in [since, until) whose due day has passed with the theme not fixed by then."""
    due_day = (await policy.settings_of(svc.db, branch)).theme_due_day
    if due_day is None:
        return []
    tz = meeting_service.tz_of(svc, branch)
    late = []
    year, month = since.year, since.month
    while date(year, month, 1) < until:
        period = f"{year:04d}-{month:02d}"
        due = deadline(period, due_day, tz)
        if due <= now:
            meeting = await _this_months_theme_day(svc.db, branch, period)
            fixed = await fixed_at(svc.db, meeting) if meeting and meeting.status != "cancelled" else due
            if fixed is None or fixed > due:  # a month without a theme day is judged by /compliance's meetings
                late.append(month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return late


FEATURE = Feature(name="theme-due", ticks=(remind,), relevance={"themeday.theme_due": _still_unset})
