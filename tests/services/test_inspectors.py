"""Inspectors (巡查): a unit's officers add read-only people who read the unit's subtree as its officers do, are
refused every write with the read-only answer, have their reads audited, and lose it all when removed."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.services import audit_log, inspectors, membership, officer_notices, overview, unit_books, units
from storage import audit_log as audit_store
from storage import units as unit_store

OFFICER, INSPECTOR, OTHER = 7001, 7101, 7201


@pytest.fixture
async def county(services):
    """城关镇党委 with one branch and its officer; 河西镇党委 with another branch."""
    town = await units.create_unit(services, "城关镇党委", None, "党委")
    west = await units.create_unit(services, "河西镇党委", None, "党委")
    inside, _, _ = await membership.create_branch(services, "城关第一党支部", 1001, "王书记")
    outside, _, _ = await membership.create_branch(services, "河西党支部", 1002, "黄书记")
    async with services.db.write() as db:
        await unit_store.place_branch(db, inside.id, town.id)
        await unit_store.place_branch(db, outside.id, west.id)
    await units.add_officer(services, town.id, OFFICER, "刘委员")
    return town, west, inside, outside


async def test_an_officer_adds_an_inspector_who_reads_the_subtree_only(services, county):
    """The unit's own officer adds an inspector; the inspector's /overview covers the unit's branch only, a branch
    of another unit is refused, and the overview offers no write (read_only)."""
    town, west, inside, outside = county
    assert await inspectors.add(services, town.id, INSPECTOR, "巡查组张三", actor_telegram_id=OFFICER)
    assert await units.is_inspector(services, INSPECTOR, town.id)
    assert not await units.is_inspector(services, INSPECTOR, west.id)
    page = await overview.overview(services, INSPECTOR)
    assert [f.branch.name for f in page.items] == ["城关第一党支部"] and page.read_only
    card = await overview.branch_card(services, INSPECTOR, inside.id)
    assert card.figures.branch.id == inside.id
    with pytest.raises(UserError) as refused:
        await overview.branch_card(services, INSPECTOR, outside.id)
    assert refused.value.template == "units/out_of_scope.j2"
    assert not (await overview.overview(services, OFFICER)).read_only


async def test_every_write_is_refused_as_read_only_and_nothing_changes(services, county):
    """An inspector cannot add an officer or another inspector, start an officer's notice, or add a unit's
    officer by typing an id: each answer is the read-only one, and no officer or inspector is added."""
    town, _, _, _ = county
    await inspectors.add(services, town.id, INSPECTOR, "巡查组张三", actor_telegram_id=OFFICER)
    attempts = [units.add_officer(services, town.id, OTHER, "", actor_telegram_id=INSPECTOR),
                inspectors.add(services, town.id, OTHER, "", actor_telegram_id=INSPECTOR),
                officer_notices.begin(services, INSPECTOR),
                units.begin_add_officer(services, INSPECTOR, town.id),
                inspectors.begin_add(services, INSPECTOR, town.id)]
    for attempt in attempts:
        with pytest.raises(UserError) as refused:
            await attempt
        assert refused.value.template == "units/read_only.j2"
    assert [o.telegram_id for o in await unit_store.officers_of(services.db, town.id)] == [OFFICER]
    assert [i.telegram_id for i in (await inspectors.listing(services, OFFICER, town.id)).inspectors] == [INSPECTOR]


async def test_an_inspectors_reads_are_audited_on_what_they_opened(services, county):
    """The inspector's overview, branch card, audit page and unit export each leave an 'inspector.read' entry (the
    branch card's on the branch, so its secretary's /audit shows it, named as the unit's inspector); the
    officer's own reads leave none."""
    town, _, inside, _ = county
    await inspectors.add(services, town.id, INSPECTOR, "巡查组张三", actor_telegram_id=OFFICER)
    await overview.overview(services, OFFICER)
    await overview.branch_card(services, OFFICER, inside.id)
    await overview.overview(services, INSPECTOR)
    await overview.branch_card(services, INSPECTOR, inside.id)
    await audit_log.page_for(services, INSPECTOR)
    await unit_books.for_officer(services, INSPECTOR, "attendance", "2026")
    reads = [e for e in await audit_store.page(services.db, [inside.id], 0, 50) if e.action == "inspector.read"]
    assert [e.detail["what"] for e in reads] == ["branch"] and reads[0].detail["by"] == INSPECTOR
    line = await audit_log.describe(services, reads[0])
    assert (line.who, line.what, line.note) == ("城关镇党委巡查巡查组张三", "巡查查看", "支部详情")
    async with services.db.read() as db:
        async with db.execute("SELECT detail FROM audit_log WHERE action = 'inspector.read' AND branch_id IS NULL") as c:
            unit_reads = sorted(row[0] for row in await c.fetchall())
    assert len(unit_reads) == 3 and all(str(INSPECTOR) in d for d in unit_reads)


async def test_a_removed_inspector_is_refused_and_an_outsider_cannot_remove_one(services, county):
    """An officer of another unit cannot remove the inspector (out of scope); the unit's officer can, and the
    removed inspector's next /overview is refused as anyone's would be."""
    town, west, _, _ = county
    await inspectors.add(services, town.id, INSPECTOR, "巡查组张三", actor_telegram_id=OFFICER)
    await units.add_officer(services, west.id, OTHER, "黄委员")
    with pytest.raises(UserError) as refused:
        await inspectors.remove(services, town.id, INSPECTOR, actor_telegram_id=OTHER)
    assert refused.value.template == "units/out_of_scope.j2"
    assert await units.is_inspector(services, INSPECTOR)
    assert await inspectors.remove(services, town.id, INSPECTOR, actor_telegram_id=OFFICER)
    assert not await inspectors.remove(services, town.id, INSPECTOR, actor_telegram_id=OFFICER)
    with pytest.raises(UserError) as gone:
        await overview.overview(services, INSPECTOR)
    assert gone.value.template == "units/not_officer.j2"
