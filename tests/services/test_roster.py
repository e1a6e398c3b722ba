"""Importing an office's roster: preview changes nothing, apply creates, re-import leaves all unchanged, an edited
file updates in place, bad rows are named by number, and officers import only inside their subtree."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from bot.bench.roster import MEMBER_COLUMNS, county_rows, workbook
from bot.domain.roles import Role
from bot.errors import UserError
from bot.services import linking, roster, units
from storage import branches
from storage import roster as roster_store
from storage import units as unit_store

# Only a guard against hanging when a preview wrongly waits for the writer; a passing run never comes near.
HANG_GUARD_S = 60


async def _live_state(services) -> tuple:
    """Everything an import touches, as the live database holds it."""
    return (await unit_store.every(services.db), await branches.every(services.db),
            await unit_store.branch_units(services.db), await roster_store.live_members(services.db))


async def test_preview_then_apply_then_reimport(services):
    """Preview counts 2 units, 10 branches, 200 members and writes nothing; apply creates them; the same file again
    is all unchanged."""
    content = workbook(*county_rows(2, 10, 200))
    plan = await roster.preview(services, content)
    assert (plan.units.create, plan.branches.create, plan.members.create, plan.bad) == (2, 10, 200, [])
    assert await branches.every(services.db) == []
    await roster.apply(services, content)
    assert len(await branches.every(services.db)) == 10
    again = await roster.apply(services, content)
    assert again.changes == 0
    assert (again.units.unchanged, again.branches.unchanged, again.members.unchanged) == (2, 10, 200)


async def test_preview_of_an_edited_file_counts_what_apply_then_does_and_changes_nothing(services):
    """On a county already imported, the preview of an edited file (a new unit, a moved and a new branch, changed
    and new members, a duplicate row and an unknown branch) leaves the live database as it was and reports exactly the plan that
    apply then carries out."""
    orgs, people = county_rows(2, 6, 60)
    await roster.apply(services, workbook(orgs, people))
    orgs = orgs + [("第3镇党委", "党委", "", ""), ("第3镇党委新党支部", "党支部", "第3镇党委", "新书记")]
    orgs[2] = (orgs[2][0], "党支部", "第2镇党委", orgs[2][3])  # 第1镇党委's first branch moves
    people = [list(p) for p in people]
    people[5][12] = "13900000000"
    people[6][10] = "第9党小组"
    newcomer = [61, "新党员", "第3镇党委新党支部", "女", "汉族", None, "", "正式党员", None, None, "", "", "", ""]
    stray = [62, "错党员", "不存在的支部", "男", "汉族", None, "", "正式党员", None, None, "", "", "", ""]
    people += [newcomer, list(people[7]), stray]  # people[7] twice: the copy is a duplicate row
    file = workbook(orgs, [tuple(p) for p in people])
    before = await _live_state(services)

    previewed = await roster.preview(services, file)

    assert await _live_state(services) == before
    counts = [(c.create, c.update, c.unchanged)
              for c in (previewed.units, previewed.branches, previewed.members)]
    assert counts == [(1, 0, 2), (1, 1, 5), (2, 2, 58)] and [b.row for b in previewed.bad] == [64, 65]
    assert await roster.apply(services, file) == previewed


async def test_preview_runs_while_another_use_case_holds_the_writer(services, clock):
    """A preview never takes the live database's writer: with another use case's write transaction open, a
    preview of a sizeable workbook runs to the end, and counts from committed data only."""
    content = workbook(*county_rows(3, 30, 600))
    async with services.db.write() as tx:
        await branches.create(tx, "第1镇党委第1党支部", clock.now())  # uncommitted while the preview runs
        # A fresh context: the preview is another use case (another chat's update), not a step of this one.
        preview = asyncio.create_task(roster.preview(services, content), context=contextvars.Context())
        plan = await asyncio.wait_for(preview, HANG_GUARD_S)
    assert (plan.units.create, plan.branches.create, plan.members.create, plan.bad) == (3, 30, 600, [])


async def test_edited_file_updates_never_duplicates(services):
    """A changed phone, a new group and a member made 预备 are updates of the same rows; the count stays."""
    orgs, people = county_rows(1, 2, 6)
    await roster.apply(services, workbook(orgs, people))
    edited = [list(p) for p in people]
    edited[1][12] = "13900000000"  # 联系电话
    edited[2][10] = "第9党小组"  # 党小组
    edited[3][7] = "预备党员"
    plan = await roster.apply(services, workbook(orgs, [tuple(p) for p in edited]))
    assert (plan.members.create, plan.members.update, plan.members.unchanged) == (0, 3, 3)
    rows = await roster_store.live_members(services.db)
    assert len(rows) == 6
    by_name = {r["name"]: r for r in rows}
    assert by_name[people[1][1]]["phone"] == "13900000000"
    assert by_name[people[2][1]]["party_group"] == "第9党小组"
    assert Role.PROBATIONARY.value in by_name[people[3][1]]["roles"]


async def test_bad_rows_are_reported_by_number_and_skipped(services):
    """Bad cells are named with their sheet, row number and reason in Chinese; the other rows still import."""
    orgs, people = county_rows(1, 2, 6)
    people = [list(p) for p in people]
    people[0][5] = "去年"  # 出生日期 (sheet row 3: a title row, then the headers)
    people[4][2] = "不存在的支部"
    plan = await roster.preview(services, workbook(orgs, [tuple(p) for p in people]))
    reasons = {(b.row, b.reason.split("「")[0]) for b in plan.bad}
    assert reasons == {(3, "出生日期"), (7, "所在党支部")}
    assert plan.members.create == 4 + 1  # the first branch's secretary is named in the organisation sheet too


async def test_dues_standard_column_sets_keeps_and_reports(services):
    """A 党费标准 column sets each member's monthly standard; re-importing the same file changes nothing; an empty
    cell leaves the standard as it was; a changed amount is an update in the preview; a bad amount is a bad row by
    number, and the rest of the file still imports."""
    orgs, people = county_rows(1, 1, 4)
    columns = MEMBER_COLUMNS[:-1] + ("党费标准（元）",)  # in place of 备注
    people = [list(p) for p in people]
    for row, amount in zip(people, (12.5, "8元", "30.00", ""), strict=True):
        row[13] = amount
    await roster.apply(services, workbook(orgs, [tuple(p) for p in people], member_columns=columns))
    fen = lambda rows: {r["name"]: r["dues_fen"] for r in rows}  # noqa: E731
    names = [p[1] for p in people]
    assert fen(await roster_store.live_members(services.db)) == dict(zip(names, (1250, 800, 3000, None), strict=True))

    again = await roster.apply(services, workbook(orgs, [tuple(p) for p in people], member_columns=columns))
    assert (again.changes, again.members.unchanged) == (0, 4)

    people[0][13], people[1][13], people[2][13] = "", "9.5", "三十元"
    edited = workbook(orgs, [tuple(p) for p in people], member_columns=columns)
    plan = await roster.preview(services, edited)
    assert (plan.members.update, plan.members.unchanged) == (1, 2)
    assert [(b.row, b.reason) for b in plan.bad] == [(5, "党费标准「三十元」无法识别（应为每月金额，如 12.50）")]
    await roster.apply(services, edited)
    assert fen(await roster_store.live_members(services.db)) == dict(zip(names, (1250, 950, 3000, None), strict=True))


async def test_not_an_xlsx_is_refused_politely(services):
    """Bytes that are no workbook give the unreadable answer, not a crash."""
    with pytest.raises(UserError) as refusal:
        await roster.preview(services, b"not a workbook")
    assert (refusal.value.template, refusal.value.params["reason"]) == ("uploads/refused.j2", "unreadable")


async def test_officer_sees_and_imports_only_their_subtree(services):
    """An officer of 第1镇党委 sees its branches only; a file placing a unit under another 党委 is refused row by
    row, and a unit of their own file lands under their 党委."""
    await roster.apply(services, workbook(*county_rows(2, 4, 8)))
    first = (await units.view(services, 9001)).children[0]
    await units.add_officer(services, first.id, 7001, "张委员")
    mine = await units.subtree_branches(services, 7001)
    assert mine and {b.name[:6] for b in mine} == {"第1镇党委第"}
    assert len(await units.subtree_branches(services, 9001)) == 4  # ZHIBU_ADMINS: the whole county
    assert await units.subtree_branches(services, 12345) == []
    file = workbook([("新党总支", "党总支", "", ""), ("外党总支", "党总支", "第2镇党委", "")], [])
    plan = await roster.apply(services, file, actor=7001)
    assert plan.units.create == 1 and [b.row for b in plan.bad] == [3]
    with pytest.raises(UserError):
        await units.view(services, 7001, (await units.view(services, 9001)).children[1].id)


async def test_personal_link_links_an_imported_member(services, branch):
    """The secretary's personal link for a member without Telegram ties the opener's account to that row."""
    orgs = [("第一党支部", "党支部", "", "")]
    people = [(1, "李四", "第一党支部", "男", "汉族", None, "", "正式党员", None, None, "", "", "", "")]
    await roster.apply(services, workbook(orgs, people))
    row = next(r for r in await roster_store.live_members(services.db) if r["name"] == "李四")
    assert row["branch_id"] == branch.branch_id and row["telegram_id"] is None
    _, code = await linking.personal_code(services, 1001, row["id"])
    linked = await linking.claim(services, 3001, code)
    assert linked.id == row["id"] and linked.telegram_id == 3001
    assert await linking.claim(services, 3002, code) is None  # used up
