"""What every part of a meeting's attendance shares: its description, the branch time zone, who must attend,
the check-in window, and queueing a message to a member."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.callbacks import dues as dues_cb
from bot.callbacks import meetings as meetings_cb
from bot.domain import meetings as rules
from bot.domain.meetings import Meeting, MeetingKind, Window
from bot.domain.models import Branch, Member
from bot.domain.outbox import Planned
from bot.errors import UserError
from bot.outgoing import Button, Outgoing, button
from bot.services import Services, workdays
from storage import branches, meetings, members, outbox, themeday
from storage.connection import Conn

REASON_MAX = 200
MAKEUP_TEXT_MAX = 2000
LEAVE, MAKEUP = "leave", "makeup"
# 组织生活会: an absentee's make-up is a written statement (书面发言), reviewed like any make-up (DOMAIN.md).
STATEMENT_KINDS = frozenset({MeetingKind.LIFE})
MAKEUP_TEMPLATES = {False: ("meetings/makeup_task.j2", "meetings/makeup_reminder.j2"),
                    True: ("talks/statement_task.j2", "talks/statement_reminder.j2")}
# A reminder planned a little after its moment (a drain's delay) still goes out; older moments do not.
LATE_GRACE = timedelta(hours=1)


def tz_of(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz



async def theme_of(db: Conn, meeting: Meeting) -> str | None:
    """The meeting's own theme, else (for a theme day) the nearest unit's unified one for its month."""
    if meeting.title:
        return meeting.title
    if meeting.kind is MeetingKind.THEME_DAY and meeting.period:
        unit = await themeday.theme_for_branch(db, meeting.branch_id, meeting.period)
        return unit.title if unit else None
    return None


async def describe(svc: Services, db: Conn, meeting: Meeting) -> dict:
    """What every message about a meeting shows: its name, theme, time and place (local)."""
    branch = await branches.get(db, meeting.branch_id)
    tz = tz_of(svc, branch)
    start = meeting.starts_at.astimezone(ZoneInfo(tz))
    name = rules.name_of(meeting.kind, start if meeting.period else None, meeting.held, meeting.group_day)
    return {
        "name": name, "theme": await theme_of(db, meeting), "details": meeting.details, "place": meeting.place,
        "when": rules.format_when(meeting.starts_at, meeting.ends_at, tz), "branch": branch.name,
        "opens": rules.format_moment(meeting.checkin_opens_at, tz), "ends": rules.format_moment(meeting.ends_at, tz),
        "meeting_id": meeting.id,
        # the meeting's date may move once that year's public holidays are entered
        "unknown_year": await workdays.unknown_year(db, branch.id, start.date()),
    }


async def queue(svc: Services, db: Conn, member: Member, message: Outgoing, *, kind: str,
                key: str) -> None:
    """A message the bot sends on its own (not an answer to a tap): it waits out the branch's quiet hours."""
    if member.telegram_id is None or not member.reachable:
        return
    now = svc.now()
    await outbox.upsert(db, Planned(key=key, chat_id=member.telegram_id, kind=kind, payload=message, due_at=now,
                                    branch_id=member.branch_id, member_id=member.id), now)


def action_buttons(meeting_id: int, proxy: bool = False, dues: bool = False) -> list[list[Button]]:
    row = [button("meetings/checkin", meetings_cb.checkin(meeting_id)), button("meetings/leave", meetings_cb.leave(meeting_id))]
    rows = [row]
    if proxy:
        rows.append([button("meetings/proxy", meetings_cb.proxy_list(meeting_id))])
    if dues:  # the theme day is also the unified dues day (统一交纳党费日)
        rows.append([button("dues/paid", dues_cb.paid(meeting_id))])
    return rows


async def meeting_in_branch(svc: Services, member: Member, meeting_id: int) -> Meeting:
    meeting = await meetings.get(svc.db, meeting_id)
    if meeting is None or meeting.branch_id != member.branch_id or meeting.status == "cancelled":
        raise UserError("common/stale.j2")
    return meeting


async def expected_of(db: Conn, meeting: Meeting) -> list[Member]:
    return rules.expected_members(await members.in_branch(db, meeting.branch_id), meeting.audience)


async def must_attend(svc: Services, meeting: Meeting, member: Member) -> None:
    if member.id not in {m.id for m in await expected_of(svc.db, meeting)}:
        raise UserError("meetings/not_expected.j2", **await describe(svc, svc.db, meeting))


async def require_window_open(svc: Services, meeting: Meeting) -> None:
    state = rules.checkin_window(meeting.checkin_opens_at, meeting.ends_at, svc.now())
    if meeting.status != "scheduled" or state is not Window.OPEN:
        raise UserError("meetings/window.j2", closed=state is Window.CLOSED or meeting.status != "scheduled",
                        **await describe(svc, svc.db, meeting))


