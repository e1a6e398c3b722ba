"""A new secretary's first steps, shown on /start until they are done: invite the members, name the committee, set
the theme day, set the dues standards, schedule a 三会一课 meeting — each with the button that does it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks.commands import Command
from bot.domain.meetings import MeetingKind
from bot.domain.models import Member, MemberStatus
from bot.domain.roles import COMMITTEE_ROLES, Role
from bot.services import Services
from storage import meetings, members
from storage import themeday as themeday_store


@dataclass(frozen=True)
class Step:
    key: str  # the step's wording in templates/start/first_steps.j2
    command: Command  # what its button opens
    done: bool


async def steps_for(svc: Services, member: Member) -> list[Step]:
    """The approver's branch's first steps (none for anyone else); all done: nothing more to show."""
    if not member.is_approver:
        return []
    branch_id = member.branch_id
    people = await members.in_branch(svc.db, branch_id)
    waiting = await members.in_branch(svc.db, branch_id, [MemberStatus.PENDING])
    committee = [m for m in people if m.roles & COMMITTEE_ROLES and Role.SECRETARY not in m.roles]
    held = [m for m in await meetings.in_branch(svc.db, branch_id) if m.kinds != {MeetingKind.THEME_DAY}]
    return [
        Step("invite", Command.INVITE, len(people) > 1 or bool(waiting)),
        Step("committee", Command.MEMBERS, bool(committee)),
        Step("themeday", Command.THEMEDAY, await themeday_store.saved(svc.db, branch_id)),
        Step("dues", Command.DUES, any(m.dues_fen is not None for m in people)),
        Step("meeting", Command.MEETING, bool(held)),
    ]
