"""The demo's county level: both branches under 城关镇党委, whose officer sees exactly them."""

from bot.demo.seed import OFFICER, SECOND_BRANCH, seed_demo
from bot.services import units


async def test_demo_officer_sees_both_branches(services):
    """The officer persona's subtree is the demo branch and the second one, whose secretary awaits their link."""
    cast = await seed_demo(services)
    seen = await units.subtree_branches(services, OFFICER[0])
    assert sorted(b.name for b in seen) == sorted([cast.branch.name, SECOND_BRANCH[0]])
    second = next(b for b in seen if b.name == SECOND_BRANCH[0])
    view = await units.branch_view(services, OFFICER[0], second.id)
    assert view.active == 4 and [p.name for p, _ in view.secretaries] == [SECOND_BRANCH[1][1]]
