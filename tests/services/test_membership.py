"""Joining a branch through the use cases: invite code → name → the secretary's card → approval → the member told."""

from __future__ import annotations

import asyncio

import pytest

from bot.domain.models import MemberStatus
from bot.errors import UserError
from bot.services import membership
from storage import audit, members
from tests.support import SECRETARY_ID


async def test_join_request_is_approved_and_the_member_told(services, branch, drainer, sender):
    """A person opening the invite link and giving a name is pending and the secretary gets a card with 通过/驳回;
    approval makes them active and queues the outcome for them, delivered by the next drain."""
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    joined = await membership.begin_join(services, 2001, invitation.code)
    assert joined.id == branch.branch_id
    request = await membership.submit_join_name(services, 2001, " 李红梅 ", {"branch_id": joined.id,
                                                                            "code": invitation.code})
    assert request.member.status is MemberStatus.PENDING and request.member.name == "李红梅"

    await drainer.drain_now()
    [card] = [m for m in sender.to(SECRETARY_ID) if m.template == "join/request_card.j2"]
    assert card.params["name"] == "李红梅"
    assert [b.data for row in card.buttons for b in row] == [f"join:ok:{request.member.id}",
                                                             f"join:no:{request.member.id}"]

    decision = await membership.decide_join(services, SECRETARY_ID, request.member.id, approve=True)
    assert decision.approved and not decision.already
    assert (await members.get(services.db, request.member.id)).status is MemberStatus.ACTIVE
    await drainer.drain_now()
    assert "join/approved.j2" in sender.templates_to(2001)
    actions = [e.action for e in await audit.for_branch(services.db, branch.branch_id)]
    assert "member.request" in actions and "member.approve" in actions

    again = await membership.decide_join(services, SECRETARY_ID, request.member.id, approve=False)
    assert again.already and again.approved  # a second tap reports the first decision and changes nothing


async def test_only_an_approver_decides_a_join(services, cast):
    """A member deciding someone's join request is refused and the request stays pending."""
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    await membership.begin_join(services, 3001, invitation.code)
    request = await membership.submit_join_name(services, 3001, "吴刚", {"code": invitation.code})
    with pytest.raises(UserError):
        await membership.decide_join(services, cast.people[0].telegram_id, request.member.id, approve=True)
    assert (await members.get(services.db, request.member.id)).status is MemberStatus.PENDING


async def test_two_decisions_pressed_at_once_decide_a_join_once(services, branch, drainer, sender):
    """通过 and 驳回 pressed at the same moment (two approvers, or a double tap): one decides, the other is told it
    was decided already — one audit line, one message to the applicant."""
    invitation = await membership.current_invitation(services, SECRETARY_ID)
    joined = await membership.begin_join(services, 2001, invitation.code)
    request = await membership.submit_join_name(services, 2001, "李红梅", {"branch_id": joined.id,
                                                                         "code": invitation.code})
    first, second = await asyncio.gather(
        membership.decide_join(services, SECRETARY_ID, request.member.id, approve=True),
        membership.decide_join(services, SECRETARY_ID, request.member.id, approve=False))
    assert sorted([first.already, second.already]) == [False, True]
    winner = first if not first.already else second
    loser = second if winner is first else first
    status = (await members.get(services.db, request.member.id)).status
    assert status is (MemberStatus.ACTIVE if winner.approved else MemberStatus.REJECTED)
    assert loser.approved == winner.approved  # the late press reports the decision that stands
    actions = [e.action for e in await audit.for_branch(services.db, branch.branch_id)]
    assert actions.count("member.approve") + actions.count("member.reject") == 1
    await drainer.drain_now()
    outcomes = [t for t in sender.templates_to(2001) if t in ("join/approved.j2", "join/rejected.j2")]
    assert len(outcomes) == 1
