"""What several services test modules do to get going, through the use cases. Test modules import these from here
(and the ids from tests/support.py), never from one another or from a conftest."""

from __future__ import annotations

from bot.domain.models import Member
from bot.services import Services, membership
from tests.support import SECRETARY_ID


async def join(svc: Services, code: str, telegram_id: int, name: str) -> Member:
    """Invite link → name → the secretary approves: the use cases a join goes through, in order."""
    branch = await membership.begin_join(svc, telegram_id, code)
    request = await membership.submit_join_name(svc, telegram_id, name, {"branch_id": branch.id, "code": code})
    decision = await membership.decide_join(svc, SECRETARY_ID, request.member.id, approve=True)
    return decision.member
