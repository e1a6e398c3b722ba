"""Who sees the county-level commands: /units for officers (ZHIBU_ADMINS among them), /meeting for a 党小组长 who
has a group, nothing new for anyone else."""

from datetime import UTC, datetime

from bot.commands import commands_for
from bot.domain.models import Member, MemberStatus
from bot.domain.roles import Role

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def _member(roles=(), group=None) -> Member:
    return Member(id=1, branch_id=1, telegram_id=5, name="李红梅", status=MemberStatus.ACTIVE, party_group=group,
                  roles=frozenset(roles), created_at=NOW, updated_at=NOW)


def _names(*args) -> set[str]:
    return {c.command for c in commands_for(*args)}


def test_units_for_officers_and_admins_only():
    """An officer (member or not) and an admin see /units; a plain member does not."""
    assert "units" in _names(None, False, True)
    assert "units" in _names(_member(), True)
    assert "units" not in _names(_member())


def test_meeting_for_group_leader_with_a_group():
    """A 党小组长 in a group sees /meeting; without a group (nothing to schedule for) or the role, no."""
    assert "meeting" in _names(_member([Role.GROUP_LEADER], "第一党小组"))
    assert "meeting" not in _names(_member([Role.GROUP_LEADER]))
    assert "meeting" not in _names(_member([], "第一党小组"))
