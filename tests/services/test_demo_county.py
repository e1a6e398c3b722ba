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


async def test_demo_overview_shows_the_silent_branch_first(services):
    """The officer's /overview in the demo: the second branch (45 days without a meeting) is silent and first; the
    demo branch held last month's theme day; the attendance chart and heat map render as PNGs."""
    from bot.services import overview

    cast = await seed_demo(services)
    page = await overview.overview(services, OFFICER[0])
    assert [f.branch.name for f in page.items] == [SECOND_BRANCH[0], cast.branch.name]
    assert page.items[0].silent and not page.items[1].silent and page.silent == 1
    png, _ = await overview.attendance_chart_for_officer(services, OFFICER[0], cast.branch.id)
    grid = await overview.heatmap(services, OFFICER[0])
    assert png[:4] == grid.png[:4] == b"\x89PNG"
