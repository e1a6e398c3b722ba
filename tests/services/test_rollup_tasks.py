"""The roll-up's one write: a task from above lands in every county's database as that county's root unit's task,
with its secretaries' messages in the county's outbox; a county that cannot take it is reported and does not stop
the others; only roll-up officers may issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserError
from bot.rollup import service
from bot.rollup.counties import close_counties, open_counties
from bot.rollup.drafts import Drafts
from bot.rollup.service import Rollup
from bot.services import Services, membership
from bot.settings import Settings
from storage import outbox
from storage import tasks as task_store
from storage.db import open_database
from tests.support import fresh_database

OFFICER = 9901
TASK = "报送年度工作总结\n请各支部报送本年度党建工作总结。\n12月20日"


async def _county(template: Path, path: Path, clock, secretaries: list[int]) -> Settings:
    settings = Settings(_env_file=None, db=fresh_database(template, path))
    db = await open_database(settings.db)
    try:
        svc = Services(db=db, settings=settings, clock=clock)
        for index, secretary in enumerate(secretaries):
            await membership.create_branch(svc, f"第{index + 1}党支部", secretary, "王书记")
    finally:
        await db.close()
    return settings


@pytest.fixture
async def rollup(tmp_path: Path, migrated: Path, clock):
    found = [("jia", await _county(migrated, tmp_path / "zhibu-jia.db", clock, [1101, 1102])),
             ("yi", await _county(migrated, tmp_path / "zhibu-yi.db", clock, [1201]))]
    counties = await open_counties(found, clock)
    yield Rollup("某市委组织部", frozenset({OFFICER}), counties, Drafts(tmp_path / "drafts.json"), clock)
    await close_counties(counties)


async def test_a_task_reaches_every_countys_branches_through_its_own_outbox(rollup):
    """Each county gets one open task of its root unit for all its branches, and one message per secretary due."""
    title, _, _, branches, number = await service.draft_task(rollup, OFFICER, TASK)
    assert (title, branches) == ("报送年度工作总结", 3)
    issued = await service.publish_task(rollup, OFFICER, "某市委组织部", number)
    assert [(i.county, i.branches, i.refusal) for i in issued] == [("jia", 2, ""), ("yi", 1, "")]
    for county, secretaries in zip(rollup.counties, ([1101, 1102], [1201]), strict=True):
        [task] = await task_store.of_units(county.svc.db, [1])
        assert task.title == "报送年度工作总结" and task.created_by == OFFICER
        due = await outbox.by_prefix(county.svc.db, "")
        assert sorted(r.chat_id for r in due if r.kind == "task.issued") == secretaries


async def test_a_county_that_cannot_take_it_does_not_stop_the_others(rollup, tmp_path: Path):
    """County jia's file is gone from under the roll-up: jia is reported as not reached, yi still gets the task."""
    (tmp_path / "zhibu-jia.db").rename(tmp_path / "moved.db")
    number = (await service.draft_task(rollup, OFFICER, TASK))[-1]
    issued = await service.publish_task(rollup, OFFICER, "某市委组织部", number)
    assert issued[0].branches == 0 and "没有收到" in issued[0].refusal
    assert (issued[1].county, issued[1].branches) == ("yi", 1)
    assert not (tmp_path / "zhibu-jia.db").exists()  # no empty database made in its place


async def test_only_rollup_officers_issue_and_a_bad_task_changes_nothing(rollup):
    """A county officer's id is refused; a past last day is refused before anything is kept; 发布 without a kept
    draft is stale."""
    with pytest.raises(UserError):
        await service.draft_task(rollup, 1101, TASK)
    with pytest.raises(UserError):
        await service.draft_task(rollup, OFFICER, "总结\n内容\n2020年1月1日")
    with pytest.raises(UserError):
        await service.publish_task(rollup, OFFICER, "某市委组织部", 1)
    for county in rollup.counties:
        assert await task_store.of_units(county.svc.db, [1]) == []


async def test_an_older_previews_buttons_leave_a_newer_draft_be(rollup):
    """A second /task replaces the first draft: 发布 and 放弃 of the first preview are stale and change nothing,
    the second preview's 发布 issues the second task (not the first)."""
    first = (await service.draft_task(rollup, OFFICER, TASK))[-1]
    second = (await service.draft_task(rollup, OFFICER, "报送学习计划\n请各支部报送学习计划。\n12月25日"))[-1]
    assert second != first
    await service.discard_task(rollup, OFFICER, first)
    with pytest.raises(UserError):
        await service.publish_task(rollup, OFFICER, "某市委组织部", first)
    await service.publish_task(rollup, OFFICER, "某市委组织部", second)
    assert [t.title for t in await task_store.of_units(rollup.counties[0].svc.db, [1])] == ["报送学习计划"]
