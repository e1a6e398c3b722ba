"""What several services test modules do to get going, through the use cases. Test modules import these from here
(and the ids from tests/support.py), never from one another or from a conftest."""

from __future__ import annotations

from bot.domain.meetings import Meeting, MeetingKind
from bot.domain.models import Member
from bot.services import Services, membership, scheduling
from tests.support import SECRETARY_ID


async def join(svc: Services, code: str, telegram_id: int, name: str) -> Member:
    """Invite link → name → the secretary approves: the use cases a join goes through, in order."""
    branch = await membership.begin_join(svc, telegram_id, code)
    request = await membership.submit_join_name(svc, telegram_id, name, {"branch_id": branch.id, "code": code})
    decision = await membership.decide_join(svc, SECRETARY_ID, request.member.id, approve=True)
    return decision.member


async def schedule(svc: Services, kind: MeetingKind, when: str, place: str, topic: str, host: Member,
                   recorder: Member) -> Meeting:
    """/meeting through the use cases, as the secretary: the kind, a typed time, place and topic, host and
    recorder, then 发布 (the attendees are told)."""
    await scheduling.begin(svc, SECRETARY_ID)
    await scheduling.choose_kind(svc, SECRETARY_ID, kind.value)
    for step, text in (("when", when), ("place", place), ("topic", topic)):
        await scheduling.answer(svc, SECRETARY_ID, step, text)
    await scheduling.choose_person(svc, SECRETARY_ID, "host", host.id)
    draft = await scheduling.choose_person(svc, SECRETARY_ID, "recorder", recorder.id)
    assert draft.step == "preview", draft.step
    meeting, _, _ = await scheduling.confirm(svc, SECRETARY_ID)
    return meeting
