"""`zhibu meetings rules` goes through a use case: one transaction, audited, and a refusal changes nothing."""

from __future__ import annotations

import pytest

from bot.cli.meetings import apply
from bot.services import Services, meeting_rules
from bot.settings import Settings
from storage import audit, branches, minutes


async def test_a_change_is_saved_and_audited(database, clock, tmp_path):
    """New minutes deadline: saved, with one audit entry; asking for the same again writes no second entry."""
    async with database.write() as tx:
        branch = await branches.create(tx, "一支部", clock.now())
    svc = Services(db=database, settings=Settings(db=tmp_path / "x.db", token=None), clock=clock)

    changed = await meeting_rules.change(svc, branch.id, lambda rules: apply(rules, 5, [], [], []))
    assert changed.minutes_working_days == 5
    assert (await minutes.rules_of(database, branch.id)).minutes_working_days == 5
    await meeting_rules.change(svc, branch.id, lambda rules: apply(rules, 5, [], [], []))
    entries = [e for e in await audit.for_branch(database, branch.id) if e.action == "meetings.rules"]
    assert len(entries) == 1 and entries[0].detail["rules"]["minutes_working_days"] == 5


async def test_bad_input_or_unknown_branch_changes_nothing(database, clock, tmp_path):
    """A cadence typo raises ValueError and leaves the rules and the audit log as they were; no branch: NoSuchBranch."""
    async with database.write() as tx:
        branch = await branches.create(tx, "一支部", clock.now())
    svc = Services(db=database, settings=Settings(db=tmp_path / "x.db", token=None), clock=clock)
    before = await minutes.rules_of(database, branch.id)
    with pytest.raises(ValueError, match="unknown meeting kind"):
        await meeting_rules.change(svc, branch.id, lambda rules: apply(rules, 3, ["nosuch=month"], [], []))
    assert await minutes.rules_of(database, branch.id) == before
    assert not [e for e in await audit.for_branch(database, branch.id) if e.action == "meetings.rules"]
    with pytest.raises(meeting_rules.NoSuchBranch):
        await meeting_rules.change(svc, branch.id + 1, lambda rules: rules)
