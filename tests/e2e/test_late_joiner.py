"""A member who joins while things are under way is caught up: the open evaluation and the coming meeting."""

from __future__ import annotations

from bot.services import evaluation, themeday
from storage import members, outbox
from tests.e2e.helpers import create_branch, join
from tests.support import SECRETARY_ID


async def test_late_joiner_gets_the_open_evaluation_and_the_coming_theme_days_reminders(harness):
    """Approved while an evaluation is open, a newcomer reads 已通过审核 first, then the evaluation's notice with its
    button; the coming theme day's and the evaluation's reminders are planned for them."""
    await create_branch(harness)
    await evaluation.open_campaign(harness.svc, SECRETARY_ID, 14)
    await themeday.view(harness.svc, SECRETARY_ID)  # makes sure the coming theme day exists
    await harness.drain()

    newcomer = harness.emu.user(2009, "新人")
    await join(harness, newcomer, "郑新")
    await harness.drain()
    notice = await newcomer.expect("民主评议")
    assert "写自评" in notice.labels()[0]
    order = [t for t in newcomer.texts() if "已通过审核" in t or "民主评议" in t]
    assert len(order) == 2 and "已通过审核" in order[0] and "民主评议" in order[1]
    member = await members.by_telegram_id(harness.svc.db, 2009)
    planned = [r for r in await outbox.by_prefix(harness.svc.db, "meeting:") if r.member_id == member.id]
    assert planned, "the coming theme day's reminders are planned for the new member"
    eval_reminders = [r for r in await outbox.by_prefix(harness.svc.db, "eval:") if r.member_id == member.id
                      and ":remind:" in r.key]
    assert eval_reminders
