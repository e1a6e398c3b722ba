"""A button that re-renders the card it sits on sends no edit when nothing on the card changed."""

from __future__ import annotations

from bot.callbacks import membership as membership_cb
from tests.e2e.helpers import branch_with_members
from tests.support import SECRETARY_ID


async def test_unchanged_card_is_not_edited_and_a_changed_one_is(harness):
    """Tapping the roster's own page re-renders the same roster: answered, no editMessageText; tapping a name
    changes the card: edited as before."""
    await branch_with_members(harness, names=("李红梅",))
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/members")
    roster = await secretary.expect("党员名册")
    edits = harness.emu.stats["editMessageText"]

    await secretary.press_data(roster.message_id, membership_cb.page(0))
    assert harness.emu.stats["editMessageText"] == edits
    assert harness.emu.current(SECRETARY_ID, roster.message_id).plain == roster.plain

    await secretary.press("李红梅", roster)
    await secretary.expect("身份：党员")
    assert harness.emu.stats["editMessageText"] == edits + 1
