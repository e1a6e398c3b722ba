"""A unit's unified theme through the use cases: the nearest unit's theme is its branches' (the county's for the
rest); an officer outside the subtree, an inspector, an empty or too long theme and a month not offered are refused
with nothing changed."""

from __future__ import annotations

import pytest

from bot.domain.units import ROOT_ID
from bot.errors import UserError
from bot.services import inspectors, membership, unit_themes, units
from storage import themeday
from storage import units as unit_store

TOWN_OFFICER, OTHER_OFFICER, INSPECTOR = 7001, 7002, 7101


@pytest.fixture
async def county(services):
    """城关镇党委 (officer 7001, an inspector) and 河口镇党委 (officer 7002), a branch each."""
    town = await units.create_unit(services, "城关镇党委", None, "党委")
    other = await units.create_unit(services, "河口镇党委", None, "党委")
    placed = []
    for name, unit, secretary in (("城关第一党支部", town, 1101), ("河口第一党支部", other, 1201)):
        branch, _, _ = await membership.create_branch(services, name, secretary, "书记")
        async with services.db.write() as db:
            await unit_store.place_branch(db, branch.id, unit.id)
        placed.append(branch.id)
    await units.add_officer(services, town.id, TOWN_OFFICER, "刘委员")
    await units.add_officer(services, other.id, OTHER_OFFICER, "黄委员")
    await inspectors.add(services, town.id, INSPECTOR, "巡查组")
    return town, other, *placed


async def test_the_nearest_units_theme_is_its_branches(services, county):
    """The county's theme for the month reaches the other town's branch; the town's own theme wins for its branch,
    which is told whose it is."""
    town, _, inside, outside = county
    month = (await unit_themes.months(services, TOWN_OFFICER, town.id)).months[0]
    period = unit_themes.period_text(month.code)
    await unit_themes.set_theme(services, None, ROOT_ID, period, "县里的主题")
    await unit_themes.set_theme(services, TOWN_OFFICER, town.id, period, "  镇里的   主题 ")
    inherited = await themeday.theme_for_branch(services.db, inside, period)
    assert inherited is not None and (inherited.title, inherited.unit) == ("镇里的 主题", "城关镇党委")
    county_theme = await themeday.theme_for_branch(services.db, outside, period)
    assert county_theme is not None and county_theme.title == "县里的主题" and county_theme.unit_id == ROOT_ID


async def test_bad_themes_and_setters_are_refused_and_change_nothing(services, county):
    """Another town's officer (out of scope) and the inspector (read only) are refused; an empty theme and one over
    the limit are refused naming it; a month not offered is refused; the town's theme is as before."""
    town = county[0]
    month = (await unit_themes.months(services, TOWN_OFFICER, town.id)).months[0]
    period = unit_themes.period_text(month.code)
    await unit_themes.set_theme(services, TOWN_OFFICER, town.id, period, "原来的主题")
    refusals = {
        "units/out_of_scope.j2": (OTHER_OFFICER, "新主题"),
        "units/read_only.j2": (INSPECTOR, "新主题"),
    }
    for template, (who, title) in refusals.items():
        with pytest.raises(UserError) as refused:
            await unit_themes.set_theme(services, who, town.id, period, title)
        assert refused.value.template == template
    for title in ("   ", "长" * (unit_themes.THEME_MAX + 1)):
        with pytest.raises(UserError) as refused:
            await unit_themes.set_theme(services, TOWN_OFFICER, town.id, period, title)
        assert refused.value.template == "policy/theme_bad.j2" and refused.value.params["max"] == unit_themes.THEME_MAX
    with pytest.raises(UserError) as refused:
        await unit_themes.begin(services, TOWN_OFFICER, town.id, 202501)
    assert refused.value.template == "policy/theme_month_gone.j2"
    assert await themeday.unit_theme(services.db, town.id, period) == "原来的主题"
