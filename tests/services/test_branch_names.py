"""Branch names are unique among one unit's branches; the same name under two units is allowed, and every message
about such a clash names the units."""

from __future__ import annotations

import pytest

from bot.bench.roster import workbook
from bot.render import plain_text, render
from bot.services import membership, roster, units
from storage import branches
from storage import units as unit_store

ORGS = [("城关镇党委", "党委", "", ""), ("河西镇党委", "党委", "", "")]
MEMBER = (1, "李红梅", "第一党支部", "女", "汉族", None, "", "正式党员", None, None, "", "", "", "")


async def test_an_officers_import_beside_a_namesake_is_shown_with_both_units(services):
    """第一党支部 under 城关镇党委 exists; 河西镇党委's officer imports their own 第一党支部: it is created under 河西镇党委
    (names are unique per unit, not county-wide) and the preview says 城关镇党委 has one of that name too."""
    await roster.apply(services, workbook(ORGS + [("第一党支部", "党支部", "城关镇党委", "")], []))
    west = await unit_store.by_name(services.db, "河西镇党委")
    await units.add_officer(services, west.id, 7001, "张委员")
    file = workbook([("河西镇党委", "党委", "", ""), ("第一党支部", "党支部", "河西镇党委", "")], [])
    plan = await roster.preview(services, file, actor=7001)
    assert plan.branches.create == 1 and plan.bad == []
    [namesake] = plan.namesakes
    assert (namesake.name, namesake.unit, namesake.others) == ("第一党支部", "河西镇党委", ["城关镇党委"])
    text = plain_text(render("roster/preview.j2", cli=False, **roster.summary(plan)))
    assert "「第一党支部」：新建在 河西镇党委 下；城关镇党委 下已有同名党支部" in text
    await roster.apply(services, file, actor=7001)
    again = await roster.apply(services, file, actor=7001)
    assert again.changes == 0 and again.namesakes == [] and len(await branches.every(services.db)) == 2


async def test_a_member_of_an_ambiguous_branch_is_refused_naming_the_units(services):
    """For the root's officer both 第一党支部 are in scope: a member row naming just 第一党支部 is a bad row that
    names 城关镇党委 and 河西镇党委; a file naming 第一党支部 twice under one unit still makes one branch."""
    orgs = ORGS + [("第一党支部", "党支部", "城关镇党委", ""), ("第一党支部", "党支部", "河西镇党委", ""),
                   ("第一党支部", "党支部", "河西镇党委", "")]
    plan = await roster.apply(services, workbook(orgs, [MEMBER]))
    assert plan.branches.create == 2 and plan.members.create == 0
    [bad] = plan.bad
    assert "城关镇党委、河西镇党委" in bad.reason and "第一党支部" in bad.reason


async def test_branch_create_refuses_a_second_branch_of_one_name_under_the_root(services):
    """`zhibu branch create` makes unit-less branches (the root's): a second of the same name is refused."""
    await membership.create_branch(services, "第一党支部", 1001, "王书记")
    with pytest.raises(ValueError, match="exists already"):
        await membership.create_branch(services, "第一党支部", 1002, "张书记")
    assert len(await branches.every(services.db)) == 1
