"""Tasks from above and the review of filed records in storage, on both engines: a task is written, issued to its
branches, urged at most once a day, found past its deadline and closed; a filed record is answered once, counted by
status (and lateness), and filed anew only after it was returned."""

from __future__ import annotations

from datetime import date, timedelta

from bot.domain.filing import ReviewStatus
from bot.domain.tasks import TaskStatus
from storage import branches, tasks, units
from storage import filing as filing_store
from storage.db import transaction


async def _unit_and_branches(db, clock):
    async with transaction(db):
        unit = await units.create(db, "城关镇党委", 1, clock.now(), "党委")
        made = [await branches.create(db, name, clock.now()) for name in ("第一党支部", "第二党支部")]
    return unit, [b.id for b in made]


async def test_a_task_from_draft_to_closed(db, clock):
    """Draft → issued to two branches (once) → urged once a day → past its deadline → closed."""
    unit, ids = await _unit_and_branches(db, clock)
    async with transaction(db):
        task = await tasks.create(db, unit.id, 7001, "刘志强", clock.now())
        await tasks.update(db, task.id, title="工作总结", body="请报送", deadline=clock.now() + timedelta(days=3))
    assert (await tasks.draft_of(db, 7001)).id == task.id
    async with transaction(db):
        assert await tasks.issue(db, task.id, ids, clock.now())
        assert not await tasks.issue(db, task.id, ids, clock.now())
    assert [t.branch_id for t in await tasks.targets(db, task.id)] == ids
    assert [t.id for t in await tasks.of_branch(db, ids[0])] == [task.id] and await tasks.draft_of(db, 7001) is None
    today = date(2026, 11, 23)
    async with transaction(db):
        assert await tasks.mark_urged(db, task.id, ids[0], today)
        assert not await tasks.mark_urged(db, task.id, ids[0], today)
        assert await tasks.mark_urged(db, task.id, ids[0], today + timedelta(days=1))
    assert (await tasks.target(db, task.id, ids[0])).urges == 2
    assert await tasks.open_past(db, clock.now()) == []
    assert [t.id for t in await tasks.open_past(db, clock.now() + timedelta(days=4))] == [task.id]
    async with transaction(db):
        assert await tasks.close(db, task.id, clock.now())
    assert (await tasks.get(db, task.id)).status is TaskStatus.CLOSED


async def test_a_filed_record_is_answered_once_and_filed_anew_only_after_a_return(db, clock):
    """已审阅 or 退回 once; the counts say what waits (and is late), was reviewed, was returned; the same record
    approved again is filed anew only once returned."""
    unit, ids = await _unit_and_branches(db, clock)
    today = date(2026, 11, 30)
    async with transaction(db):
        assert await filing_store.add(db, "minutes", "meeting:1", ids[0], unit.id, "支委会", clock.now(), date(2026, 11, 26))
        assert await filing_store.add(db, "minutes", "meeting:2", ids[0], unit.id, "党员大会", clock.now(), today)
        assert not await filing_store.add(db, "minutes", "meeting:1", ids[0], unit.id, "支委会", clock.now())
    first, second = await filing_store.in_branches(db, [ids[0]])
    counts = await filing_store.review_counts(db, ids, today)
    assert counts == {ids[0]: {"waiting": 2, "overdue": 1, "reviewed": 0, "returned": 0}}
    assert [f.id for f in await filing_store.past_review_unreminded(db, today)] == [first.id]
    async with transaction(db):
        assert await filing_store.decide_review(db, first.id, ReviewStatus.RETURNED, 7001, "刘志强", "请补充", clock.now())
        assert not await filing_store.decide_review(db, first.id, ReviewStatus.REVIEWED, 7001, "刘志强", None,
                                                    clock.now())
        assert await filing_store.decide_review(db, second.id, ReviewStatus.REVIEWED, 7001, "刘志强", None, clock.now())
    counts = await filing_store.review_counts(db, ids, today)
    assert counts == {ids[0]: {"waiting": 0, "overdue": 0, "reviewed": 1, "returned": 1}}
    async with transaction(db):
        assert await filing_store.add(db, "minutes", "meeting:1", ids[0], unit.id, "支委会", clock.now(), today)
    assert (await filing_store.get(db, first.id)).review_status is ReviewStatus.WAITING
