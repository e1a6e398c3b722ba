"""The votes (表决) of a 支部党员大会's record: who had a vote (应到 and 实到 come from the check-ins and the members'
roles, never typed), each motion typed with its counts and checked against them, and the quorum and result the
record shows (bot/domain/votes.py judges)."""

from __future__ import annotations

from bot.domain import meetings as meeting_rules
from bot.domain import votes as rules
from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.roles import Role
from bot.errors import UserError
from bot.services import Services
from bot.services import meetings as meeting_service
from storage import meetings, members

VOTE_KINDS = frozenset({MeetingKind.ASSEMBLY})  # the meetings that decide by vote


def takes_votes(kinds: set[MeetingKind] | frozenset[MeetingKind]) -> bool:
    return bool(kinds & VOTE_KINDS)


async def voting_of(svc: Services, meeting: Meeting) -> rules.Voting:
    """应到: the full members expected (for a closed meeting: those it recorded); 实到: of them, those present."""
    rows = {a.member_id: a.status for a in await meetings.attendance(svc.db, meeting.id)}
    if meeting.status == "closed":
        people = [m for m in [await members.get(svc.db, i) for i in sorted(rows)] if m is not None]
    else:
        people = await meeting_service.expected_of(svc.db, meeting)
    full = [m for m in people if Role.PROBATIONARY not in m.roles]
    present = [m for m in full if rows.get(m.id) in meeting_rules.PRESENT]
    return rules.Voting(expected=len(full), present=len(present))


def _refused(error: rules.BadVote) -> UserError:
    return UserError("minutes/bad_vote.j2", reason=error.refusal.value, **error.params)


async def added(svc: Services, meeting: Meeting, so_far: list[dict], text: str) -> list[dict]:
    """The votes with the lines just typed added (one motion a line), each checked against who had a vote."""
    voting = await voting_of(svc, meeting)
    new = []
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        try:
            new.append(rules.check(rules.parse(line), voting).model_dump())
        except rules.BadVote as error:
            raise _refused(error) from None
    if len(so_far) + len(new) > rules.VOTES_MAX:
        raise UserError("minutes/too_many_votes.j2", max=rules.VOTES_MAX)
    return [*so_far, *new]


async def fixed(svc: Services, meeting: Meeting, votes: list[dict]) -> dict:
    """At submit: who had a vote, as the record keeps it; every vote checked again (a correction may have changed
    the attendance since it was typed)."""
    voting = await voting_of(svc, meeting)
    for vote in votes:
        try:
            rules.check(rules.Vote.model_validate(vote), voting)
        except rules.BadVote as error:
            raise _refused(error) from None
    return voting.model_dump()


def shown(content: dict, voting: dict | None = None) -> list[dict]:
    """The record's votes with 应到, 实到, quorum and result (for the form, the card and the book)."""
    found = voting or content.get("voting")
    if not found or not content.get("votes"):
        return []
    return rules.shown([rules.Vote.model_validate(v) for v in content["votes"]], rules.Voting.model_validate(found))
