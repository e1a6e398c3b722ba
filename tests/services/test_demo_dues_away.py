"""The demo branch has an example of the dues day and of standing leave, made through the features' use cases."""

from __future__ import annotations

from bot.demo.seed import seed_demo
from bot.domain.dues import DuesStatus
from storage import away, dues, meetings


async def test_demo_seeds_a_dues_report_and_a_member_on_standing_leave(services):
    """周敏 reported this month's dues (waiting for confirmation); 吴刚 is away on approved standing leave, so the
    theme day counts him on leave; everyone's monthly amount is set."""
    cast = await seed_demo(services)
    by_name = {m.name: m for m in cast.members}
    theme_day = next(m for m in await meetings.upcoming_in_branch(services.db, cast.branch.id, services.now())
                     if m.period)
    payment = await dues.get(services.db, by_name["周敏"].id, theme_day.period)
    assert payment is not None and payment.status is DuesStatus.REPORTED and payment.amount_fen == 800
    today = services.now().date()
    assert (await away.current_of(services.db, by_name["吴刚"].id, today)).reason.startswith("外出务工")
    assert (await meetings.attendance_of(services.db, theme_day.id, by_name["吴刚"].id)).status == "on_leave"
