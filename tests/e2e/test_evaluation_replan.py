"""Re-planning an open evaluation's reminders for a newcomer keeps everyone else's (regression)."""

from __future__ import annotations

from bot.domain import evaluation as rules
from storage import evaluation
from tests.e2e.helpers import branch_with_members, join, open_campaign


async def test_a_newcomer_approved_during_an_evaluation_leaves_everyone_reminded_of_the_deadline(harness):
    """An evaluation is open, a newcomer is approved (their catch-up re-plans the campaign's reminders); at the
    "3 days left" moment every member, the earlier ones as well as the newcomer, is reminded, and only once."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await open_campaign(harness, secretary)
    await harness.drain()
    newcomer = harness.emu.user(2009, "新人")
    await join(harness, newcomer, "郑新")
    await harness.drain()
    await newcomer.expect("民主评议")

    campaign = await evaluation.open_for_branch(harness.svc.db, 1)
    first = min(at for _, at in rules.reminder_times(campaign.deadline, harness.svc.settings.tz, harness.clock.now()))
    harness.clock.set(first)
    await harness.drain()
    await harness.emu.idle()

    for person in (secretary, a, b, newcomer):
        reminders = [t for t in person.texts() if "还有 3 天" in t]
        assert len([t for t in reminders if "个人自评" in t]) == 1, (person.first_name, person.texts()[-3:])
        assert len([t for t in reminders if "互评" in t]) == 1, (person.first_name, person.texts()[-3:])
