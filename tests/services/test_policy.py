"""Unit policy through the use cases: a 镇党委's rule judges its branches in /overview and /compliance (and not
another 镇's), an officer outside the subtree, an inspector, a value out of range or laxer than above are refused
with nothing changed, a branch may choose only stricter, the branches a settled change affects are told once, and
the due day, review days, first-week reading and check-in mode reach what reads them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain.calendar import occurrence
from bot.domain.meetings import MeetingKind
from bot.domain.overview import CadenceStatus
from bot.errors import UserError
from bot.render import plain_text, render
from bot.services import (
    branch_settings,
    compliance,
    inspectors,
    membership,
    overview,
    policy,
    themeday,
    unit_policy,
    units,
)
from storage import branches, policies
from storage import units as unit_store

TOWN_OFFICER, OTHER_OFFICER, INSPECTOR = 7001, 7002, 7101
TOWN_SECRETARY, OTHER_SECRETARY = 1101, 1201


async def _branch(svc, clock, name: str, unit_id: int, secretary: int) -> int:
    """A branch made in January (it lived through the whole second half-year, not the whole year)."""
    today = clock.now()
    clock.set(today - timedelta(days=300))
    created, _, _ = await membership.create_branch(svc, name, secretary, "书记")
    clock.set(today)
    async with svc.db.write() as db:
        await unit_store.place_branch(db, created.id, unit_id)
    return created.id


@pytest.fixture
async def county(services, clock):
    """城关镇党委 (its officer 7001, an inspector) and 河口镇党委 (officer 7002), a branch each."""
    town = await units.create_unit(services, "城关镇党委", None, "党委")
    other = await units.create_unit(services, "河口镇党委", None, "党委")
    inside = await _branch(services, clock, "城关第一党支部", town.id, TOWN_SECRETARY)
    outside = await _branch(services, clock, "河口第一党支部", other.id, OTHER_SECRETARY)
    await units.add_officer(services, town.id, TOWN_OFFICER, "刘委员")
    await units.add_officer(services, other.id, OTHER_OFFICER, "黄委员")
    await inspectors.add(services, town.id, INSPECTOR, "巡查组")
    return town, other, inside, outside


async def _life(svc, officer: int) -> dict[str, str]:
    page = await overview.overview(svc, officer)
    return {f.branch.name: f.cadences[MeetingKind.LIFE] for f in page.items}


async def test_a_towns_half_yearly_rule_judges_its_branches_only(services, county):
    """Yearly (the default), no 组织生活会 is ⏳ still due (the year began before the branch did); the town's 每半年
    1 次 makes its branch ⚠️ in /overview (the second half-year is past its middle with none scheduled) and
    half-yearly in /compliance and the branch card; the other town's branch is still judged yearly."""
    town, _, inside, outside = county
    assert await _life(services, TOWN_OFFICER) == {"城关第一党支部": CadenceStatus.DUE}
    done = await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_life", "half_1")
    assert (done.was, done.now) == ("每年 1 次", "每半年 1 次")
    assert await _life(services, TOWN_OFFICER) == {"城关第一党支部": CadenceStatus.AT_RISK}
    assert await _life(services, OTHER_OFFICER) == {"河口第一党支部": CadenceStatus.DUE}
    report = await compliance.report(services, TOWN_SECRETARY, None)
    life = next(k for k in report.kinds if k.kind is MeetingKind.LIFE)
    assert (life.cadence.per, life.cadence.times) == ("half", 1)
    card = await overview.branch_card(services, TOWN_OFFICER, inside)
    assert card.rules["life"] == ("每半年 1 次", "城关镇党委")
    assert (await policy.rules_of(services.db, outside)).cadences[MeetingKind.LIFE].per == "year"


async def test_bad_changes_are_refused_and_change_nothing(services, county):
    """Another town's officer (out of scope), the inspector (read only), a value out of range, and — once the county
    asks for 党课 each quarter — the town's half-yearly 党课 (laxer) are each refused; a removed officer is no
    officer; only the successful change is in the policies and the audit log."""
    town, _, _, _ = county
    attempts = [(OTHER_OFFICER, "cadence_life", "half_1", "units/out_of_scope.j2"),
                (INSPECTOR, "cadence_life", "half_1", "units/read_only.j2"),
                (TOWN_OFFICER, "cadence_life", "half_9", "policy/out_of_range.j2"),
                (TOWN_OFFICER, "review_days", "30", "policy/out_of_range.j2"),
                (TOWN_OFFICER, "colour", "red", "policy/out_of_range.j2")]
    for actor, field, code, template in attempts:
        with pytest.raises(UserError) as refused:
            await unit_policy.change(services, actor, town.id, field, code)
        assert refused.value.template == template, (actor, field, code)
    await unit_policy.change(services, 9001, 1, "cadence_lecture", "quarter_1")  # the county (ZHIBU_ADMINS)
    with pytest.raises(UserError) as laxer:
        await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_lecture", "half_1")
    assert laxer.value.template == "policy/laxer.j2" and laxer.value.params["unit"] == "县委组织部"
    async with services.db.write() as db:
        await unit_store.remove_officer(db, town.id, TOWN_OFFICER)
    with pytest.raises(UserError) as removed:
        await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_life", "half_1")
    assert removed.value.template == "units/not_officer.j2"
    assert await policies.of_unit(services.db, town.id) is None
    async with services.db.read() as db:
        async with db.execute("SELECT subject, detail FROM audit_log WHERE action = 'unit.policy'") as cur:
            logged = [(row[0], row[1]) for row in await cur.fetchall()]
    assert len(logged) == 1 and logged[0][0] == "unit:1" and "cadence_lecture" in logged[0][1]


async def test_a_branch_may_choose_only_stricter_and_may_follow_again(services, county):
    """Under the town's half-yearly rule the secretary is offered half-yearly or more often; a forged index of
    每年 1 次 is refused naming the town; 每季度 1 次 is saved as the branch's own; 跟随上级 gives it back."""
    town, _, inside, _ = county
    await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_life", "half_1")
    offered = await branch_settings.offer(services, TOWN_SECRETARY, "cadence_life")
    codes = [c.code for c in offered]
    assert {c.code for c in offered if c.allowed} >= {"half_1", "quarter_1"}
    assert not {c.code for c in offered if c.allowed} & {"year_1", "none_0"}
    assert offered[-1].code == branch_settings.FOLLOW and "城关镇党委：每半年 1 次" in offered[-1].label
    with pytest.raises(UserError) as refused:
        await branch_settings.change(services, TOWN_SECRETARY, "cadence_life", codes.index("year_1"))
    assert refused.value.template == "branch_settings/policy_laxer.j2" and refused.value.params["unit"] == "城关镇党委"
    assert (await policy.rules_of(services.db, inside)).cadences[MeetingKind.LIFE].per == "half"
    shown = await branch_settings.change(services, TOWN_SECRETARY, "cadence_life", codes.index("quarter_1"))
    assert shown.shown("cadence_life") == "每季度 1 次" and shown.rulings["cadence_life"].own
    shown = await branch_settings.change(services, TOWN_SECRETARY, "cadence_life", len(codes) - 1)
    assert shown.shown("cadence_life") == "每半年 1 次"
    assert ("组织生活会", "每半年 1 次", "城关镇党委") in shown.ruled()


async def test_the_branches_a_settled_change_affects_are_told_once(services, county, clock, drainer, sender):
    """Nothing is told while the officer is still changing things; five quiet minutes later the town's branch's
    secretary is told once what changed (before → now), the other town's branch nothing, and a second tick
    nothing more; a branch already stricter on its own is not told."""
    town, _, _, _ = county
    await drainer.drain_now()
    sender.clear()
    await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_life", "quarter_1")
    await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_life", "half_1")
    await unit_policy.change(services, TOWN_OFFICER, town.id, "minutes_working_days", "2")
    await unit_policy.tell_changes(services, clock.now())
    await drainer.drain_now()
    assert sender.templates_to(TOWN_SECRETARY).count("policy/told.j2") == 0
    clock.advance(minutes=6)
    await unit_policy.tell_changes(services, clock.now())
    await drainer.drain_now()
    told = [m for m in sender.to(TOWN_SECRETARY) if m.template == "policy/told.j2"]
    assert len(told) == 1
    text = plain_text(render(told[0].template, **told[0].params))
    assert "城关镇党委调整了组织生活规定" in text and "组织生活会：每年 1 次 → 每半年 1 次" in text
    assert "会议记录期限：3 个工作日 → 2 个工作日" in text
    assert "policy/told.j2" not in sender.templates_to(OTHER_SECRETARY)
    await unit_policy.tell_changes(services, clock.advance(minutes=10))
    await drainer.drain_now()
    assert len([m for m in sender.to(TOWN_SECRETARY) if m.template == "policy/told.j2"]) == 1

    offered = [c.code for c in await branch_settings.offer(services, TOWN_SECRETARY, "cadence_lecture")]
    await branch_settings.change(services, TOWN_SECRETARY, "cadence_lecture", offered.index("month_1"))
    await unit_policy.change(services, TOWN_OFFICER, town.id, "cadence_lecture", "quarter_1")
    await unit_policy.tell_changes(services, clock.advance(minutes=6))
    await drainer.drain_now()
    assert len([m for m in sender.to(TOWN_SECRETARY) if m.template == "policy/told.j2"]) == 1


async def test_due_day_review_days_first_week_and_checkin_reach_their_readers(services, county):
    """The town's theme due day (the 5th) is its branch's; its review days are the filing digest's; its "full week"
    reading dates December's theme day on the 10th (the first Thursday is the 3rd); its location check-in forbids
    the secretary's 不核验; the other town's branch keeps the defaults."""
    town, other, inside, outside = county
    for field, code in (("theme_due_day", "5"), ("review_days", "2"), ("theme_week", "full"), ("checkin", "location")):
        await unit_policy.change(services, TOWN_OFFICER, town.id, field, code)
    branch = await branches.get(services.db, inside)
    assert (await policy.settings_of(services.db, branch)).theme_due_day == 5
    assert await policy.review_days(services.db, town.id) == 2 and await policy.review_days(services.db, other.id) == 3
    settings = await policy.theme_settings(services.db, inside)
    assert occurrence(settings, 2026, 12).day == 10
    assert occurrence(await policy.theme_settings(services.db, outside), 2026, 12).day == 3
    with pytest.raises(UserError) as refused:
        await themeday.apply_edit(services, TOWN_SECRETARY, "venue", themeday.NO_VENUE)
    assert refused.value.template == "themeday/venue_required.j2"
    view = await themeday.view(services, TOWN_SECRETARY)
    assert view.checkin == ("位置核验", "城关镇党委", True)
    assert (await themeday.view(services, OTHER_SECRETARY)).checkin is None


def test_only_the_policy_door_reads_the_stored_meeting_rules():
    """Everything that judges a branch reads its rules through bot/services/policy.py (the units' policy applied):
    the stored rules are read directly only there and where they are edited."""
    root = Path(__file__).resolve().parents[2]
    allowed = {"bot/services/policy.py", "bot/services/meeting_rules.py"}
    readers = {path.relative_to(root).as_posix() for folder in ("bot", "handlers")
               for path in (root / folder).rglob("*.py") if "minutes.rules_of(" in path.read_text(encoding="utf-8")}
    assert readers == allowed
