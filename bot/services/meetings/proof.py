"""Proof of presence at a member's own check-in (bot/domain/checkin_proof.py): what the branch's policy asks of a
meeting, and a typed code checked (a wrong one counted). The code shown at the venue: checkin.show_code."""

from __future__ import annotations

from datetime import datetime

from bot.domain import checkin_proof as rules
from bot.domain.meetings import Meeting
from bot.domain.models import Member
from bot.errors import UserError
from bot.keys import meetings as meeting_keys
from bot.services import Services, policy
from storage import branches, marks, meetings


async def needed(svc: Services, meeting: Meeting) -> frozenset[str]:
    """What this meeting's check-in may prove presence with ("location", "code"; nothing: none asked)."""
    branch = await branches.get(svc.db, meeting.branch_id)
    has_venue = meeting.venue_lat is not None and meeting.venue_lon is not None
    floor = await policy.checkin_mode(svc.db, branch.id)
    return rules.accepted(rules.in_force(branch.settings.checkin_proof, floor.code), has_venue)


async def check_code(svc: Services, meeting: Meeting, member: Member, typed: str, now: datetime) -> None:
    """A typed code: the current one (or the one just before) passes; a wrong or stale one is refused without
    saying which, and counted; after WRONG_MAX the member's own check-in by code is closed for this meeting."""
    wrong = [meeting_keys.wrong_code(meeting.id, member.id, n) for n in range(rules.WRONG_MAX)]
    left = await marks.missing(svc.db, wrong)
    if not left:
        raise UserError("meetings/code_locked.j2")
    secret = await meetings.checkin_secret(svc.db, meeting.id)
    if secret is not None and rules.matches(secret, typed, now):
        return
    async with svc.db.write() as db:
        await marks.claim(db, min(left), now)
    raise UserError("meetings/bad_code.j2", left=len(left) - 1)
