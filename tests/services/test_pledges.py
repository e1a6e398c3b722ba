"""亮承诺 on a real database: nobody confirms or reviews their own pledge; a confirmed pledge cannot be changed."""

from __future__ import annotations

import pytest

from bot.domain.pledges import Kept
from bot.errors import UserError
from bot.services import pledges
from storage import pledges as store
from tests.support import FIRST_MEMBER_ID, SECRETARY_ID


async def test_the_secretarys_own_pledge_is_not_theirs_to_confirm_or_review(services, cast):
    """The secretary enters a pledge; their own 确认 and review are refused; a plain member may not confirm one."""
    await pledges.begin(services, SECRETARY_ID)
    own = await pledges.enter(services, SECRETARY_ID, "支部书记\n每季度讲一次党课")
    with pytest.raises(UserError, match="pledges/not_own.j2"):
        await pledges.confirm(services, SECRETARY_ID, own.id)
    with pytest.raises(UserError, match="common/not_allowed.j2"):
        await pledges.confirm(services, FIRST_MEMBER_ID, own.id)
    with pytest.raises(UserError, match="pledges/not_own.j2"):
        await pledges.choose_kept(services, SECRETARY_ID, own.id, Kept.KEPT)
    assert not (await store.get(services.db, own.id)).confirmed


async def test_a_confirmed_pledge_stays_as_confirmed(services, cast):
    """Entered again after the secretary confirmed it, the pledge is refused and unchanged."""
    member = cast.people[0]
    kept = await pledges.enter(services, member.telegram_id, "卫生监督岗\n每周清理楼道一次")
    await pledges.confirm(services, SECRETARY_ID, kept.id)
    with pytest.raises(UserError, match="pledges/already_confirmed.j2"):
        await pledges.enter(services, member.telegram_id, "别的岗位\n别的承诺")
    assert (await store.get(services.db, kept.id)).post == "卫生监督岗"
    with pytest.raises(UserError, match="pledges/what.j2"):
        await pledges.enter(services, member.telegram_id, "只有一行")
