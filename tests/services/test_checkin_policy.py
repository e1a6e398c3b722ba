"""签到方式 in the unit policy: a unit may require none, the location or the code, the location alone, or the code
(weakest first); its branches hold to it — a branch's own choice counts only where at least as strict, a laxer one
is not offered and refused when pressed anyway — and a member's check-in asks for what is in force."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain import checkin_proof
from bot.domain import policy as policy_rules
from bot.domain.checkin_proof import Proof
from bot.errors import UserError
from bot.services import branch_settings, themeday, unit_policy, units
from bot.services import meetings as meeting_service
from storage import units as unit_store
from tests.support import SECRETARY_ID

OFFICER = 7001
CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)


def test_the_branch_keeps_its_own_choice_only_where_at_least_as_strict():
    """The unit's code beats the branch's location; the branch's code beats the unit's location-or-code; the order
    is the unit policy's, weakest first."""
    assert policy_rules.CHECKIN_MODES == tuple(p.value for p in checkin_proof.STRENGTH)
    assert checkin_proof.in_force(Proof.LOCATION, "code") is Proof.CODE
    assert checkin_proof.in_force(Proof.CODE, "either") is Proof.CODE
    assert checkin_proof.in_force(Proof.NONE, "none") is Proof.NONE


async def test_a_units_code_rule_reaches_check_in_and_the_settings_card(services, cast, theme_day, clock):
    """Under a town that requires the code, a member's check-in asks for the code (the branch's own 核对位置 gives
    way); the card shows 签到码 and offers nothing laxer; a forged laxer press is refused; the theme day may drop its
    venue (a code rule needs none)."""
    town = await units.create_unit(services, "城关镇党委", None, "党委")
    await units.add_officer(services, town.id, OFFICER, "刘委员")
    async with services.db.write() as tx:
        await unit_store.place_branch(tx, cast.branch_id, town.id)
    await unit_policy.change(services, OFFICER, town.id, "checkin", "code")

    clock.set(CHECKIN_OPENS)
    asked = await meeting_service.check_in(services, cast.people[0].telegram_id, theme_day.id)
    assert asked.presence is None and asked.proof == frozenset({"code"})
    view = await branch_settings.view(services, SECRETARY_ID)
    assert view.shown("checkin_proof") == "签到码"
    offered = await branch_settings.offer(services, SECRETARY_ID, "checkin_proof")
    assert [c.code for c in offered if c.allowed] == ["code"]
    laxer = [c.code for c in offered].index("location")
    with pytest.raises(UserError, match="branch_settings/policy_laxer.j2"):
        await branch_settings.change(services, SECRETARY_ID, "checkin_proof", laxer)
    await themeday.apply_edit(services, SECRETARY_ID, "venue", themeday.NO_VENUE)  # no venue needed for a code
