"""Evaluation storage: one campaign per year, anonymous peer grades as counts, and the link erased at close."""

from __future__ import annotations

import inspect
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.domain.evaluation import Grade, ballot_of
from bot.domain.models import MemberStatus
from storage import branches, evaluation, members
from storage.db import transaction

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def _branch_with(db, count: int):
    async with transaction(db) as tx:
        branch = await branches.create(tx, "一支部", NOW)
        people = [await members.create(tx, branch_id=branch.id, telegram_id=100 + i, name=f"党员{i}",
                                       status=MemberStatus.ACTIVE, now=NOW) for i in range(count)]
        campaign = await evaluation.create(tx, branch.id, 2026, NOW + timedelta(days=7), "s3cret", people[0].id, NOW)
    return branch, people, campaign


async def test_one_campaign_per_branch_and_year(db):
    """A second campaign for the same year is refused (None), another year is fine."""
    branch, people, campaign = await _branch_with(db, 1)
    async with transaction(db) as tx:
        assert await evaluation.create(tx, branch.id, 2026, NOW, "x", people[0].id, NOW) is None
    assert (await evaluation.open_for_branch(db, branch.id)).id == campaign.id
    assert (await evaluation.for_year(db, branch.id, 2026)).deadline == NOW + timedelta(days=7)


async def test_peer_grades_are_counts_own_ballot_and_closing_erases_the_link(db):
    """Counts per grade per subject; a grader reads back and changes only their ballot; close wipes salt and ballots."""
    _, (p0, p1, p2), campaign = await _branch_with(db, 3)
    ballots = {p.id: ballot_of("s3cret", p.id) for p in (p0, p1, p2)}
    async with transaction(db) as tx:
        await evaluation.set_peer_grade(tx, campaign.id, ballots[p0.id], p1.id, Grade.EXCELLENT)
        await evaluation.set_peer_grade(tx, campaign.id, ballots[p0.id], p2.id, Grade.QUALIFIED)
        await evaluation.set_peer_grade(tx, campaign.id, ballots[p2.id], p1.id, Grade.BASIC)
        await evaluation.set_peer_grade(tx, campaign.id, ballots[p2.id], p1.id, Grade.EXCELLENT)  # changed
        assert await evaluation.set_peer_comment(tx, campaign.id, ballots[p2.id], p1.id, "乐于助人")
        assert not await evaluation.set_peer_comment(tx, campaign.id, ballots[p1.id], p0.id, "未评先写")
    assert await evaluation.peer_counts(db, campaign.id) == {p1.id: Counter({Grade.EXCELLENT: 2}),
                                                            p2.id: Counter({Grade.QUALIFIED: 1})}
    assert await evaluation.own_ballot(db, campaign.id, ballots[p0.id]) == {p1.id: (Grade.EXCELLENT, None),
                                                                           p2.id: (Grade.QUALIFIED, None)}
    assert await evaluation.peer_comments(db, campaign.id, p1.id) == ["乐于助人"]
    assert await evaluation.finished_ballots(db, campaign.id, [p0.id, p1.id, p2.id]) == 1

    async with transaction(db) as tx:
        assert await evaluation.close(tx, campaign.id, NOW)
        assert not await evaluation.close(tx, campaign.id, NOW)
    assert await evaluation.salt(db, campaign.id) is None
    assert await evaluation.own_ballot(db, campaign.id, ballots[p0.id]) == {}
    assert (await evaluation.peer_counts(db, campaign.id))[p1.id][Grade.EXCELLENT] == 2  # the counts survive


def test_storage_offers_no_query_pairing_graders_with_subjects():
    """The module's public functions: adding one that lists others' ballots must be a deliberate change here."""
    public = {name for name, fn in inspect.getmembers(evaluation, inspect.iscoroutinefunction)
              if fn.__module__ == evaluation.__name__ and not name.startswith("_")}
    assert {n for n in public if "peer" in n or "ballot" in n} == {
        "set_peer_grade", "set_peer_comment", "own_ballot", "peer_counts", "peer_comments", "finished_ballots"}


async def test_final_grade_and_remark_kept_together(db):
    """The final grade and the remark are set separately and read back as one result."""
    _, (p0, p1), campaign = await _branch_with(db, 2)
    async with transaction(db) as tx:
        await evaluation.set_remark(tx, campaign.id, p1.id, "理由")
        await evaluation.set_final(tx, campaign.id, p1.id, Grade.UNQUALIFIED, p0.id, NOW)
    result = (await evaluation.results(db, campaign.id))[p1.id]
    assert (result.final_grade, result.remark) == (Grade.UNQUALIFIED, "理由")
