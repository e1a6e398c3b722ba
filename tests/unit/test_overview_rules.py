"""Pure rules of oversight: which of an officer's units head their own digest section, and how a branch's first,
partial month and the months before it existed are judged in /overview and the heat map."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.domain.meetings import MeetingKind
from bot.domain.minutes import MeetingRules
from bot.domain.overview import (
    BranchRow,
    CadenceStatus,
    MeetingRow,
    SubtreeFacts,
    compliance_grid,
    figures,
    last_months,
)
from bot.domain.units import outermost


def test_outermost_drops_units_under_another_chosen_unit():
    """Root 1 → 2 → 3 and 1 → 4: an officer of 2, 3 and 4 has the subtrees of 2 and 4 (3 is in 2's already); the
    root alone covers everything; a unit since removed is left out."""
    parents = {1: None, 2: 1, 3: 2, 4: 1}
    assert outermost({2, 3, 4}, parents) == [2, 4]
    assert outermost({1, 3, 4}, parents) == [1]
    assert outermost({3, 9}, parents) == [3]


# --- a branch's first, partial month ----------------------------------------------------------------------------

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 November 2026, 10:00 in Shanghai
MONTHS = last_months(date(2026, 11, 23))  # December 2025 … November 2026


def _row(created: datetime) -> BranchRow:
    return BranchRow(id=1, name="新建党支部", created_at=created, unit_name="城关镇党委", active=5)


def _theme_day(month: int, day: int) -> MeetingRow:
    starts = datetime(2026, month, day, 1, 0, tzinfo=UTC)
    return MeetingRow(id=month, branch_id=1, kind=MeetingKind.THEME_DAY, starts_at=starts, period=f"2026-{month:02d}",
                      closed=True, present=5, marked=5)


def _committee(month: int, day: int) -> MeetingRow:
    return MeetingRow(id=100 + month, branch_id=1, kind=MeetingKind.COMMITTEE,
                      starts_at=datetime(2026, month, day, 1, 0, tzinfo=UTC), closed=True)


def _figures(row: BranchRow, meetings: list[MeetingRow]):
    (found,) = figures(SubtreeFacts([row], {1: meetings}, {}, {}, {}), TZ, NOW)
    return found


def test_heat_map_leaves_months_before_a_branch_and_its_unmet_first_partial_month_blank():
    """A branch made on 20 October (16:00 UTC = the 21st in Shanghai) with nothing held: every month before
    October and October itself, which it joined late in, are blank (not applicable), not 0%; November is still
    running, so blank too."""
    grid = compliance_grid(_row(datetime(2026, 10, 20, 16, 0, tzinfo=UTC)), [], MeetingRules(), [], TZ, NOW, MONTHS)
    assert grid == [None] * 12


def test_a_first_partial_month_counts_what_was_met_and_full_months_are_judged():
    """Made on 20 September: September counts its theme day held (met), not the 支委会 it had no time for; October,
    its first whole month, is judged in full: theme day held, 支委会 not — 50%."""
    meetings = [_theme_day(9, 25), _theme_day(10, 8)]
    grid = compliance_grid(_row(datetime(2026, 9, 20, 2, 0, tzinfo=UTC)), meetings, MeetingRules(), [], TZ, NOW,
                           MONTHS)
    assert grid[:9] == [None] * 9
    assert grid[9] == 1.0 and grid[10] == 0.5


def test_a_branch_that_existed_all_month_is_still_judged_on_it():
    """Made on 1 October (Shanghai): October is a whole month for it, so a 支委会 not held there is a 0."""
    created = datetime(2026, 9, 30, 17, 0, tzinfo=UTC)  # 1 October, 01:00 in Shanghai
    grid = compliance_grid(_row(created), [], MeetingRules(), [], TZ, NOW, MONTHS)
    assert grid[10] == 0.0 and grid[9] is None


def test_overview_does_not_call_the_first_partial_month_missed():
    """Made on 20 October with no 支委会 in October: the quarter's 支委会 is not ❌ missed (October was a partial
    month for it) but still open; a branch there since the summer with the same meetings has missed it."""
    late = _figures(_row(datetime(2026, 10, 20, 2, 0, tzinfo=UTC)), [_committee(11, 10)])
    assert late.cadences[MeetingKind.COMMITTEE] == CadenceStatus.DUE
    assert MeetingKind.COMMITTEE not in late.missed and late.level != "alert"
    old = _figures(_row(datetime(2026, 6, 1, 2, 0, tzinfo=UTC)), [_committee(11, 10)])
    assert old.cadences[MeetingKind.COMMITTEE] == CadenceStatus.MISSED


def test_no_theme_day_yet_is_not_wanting_in_the_month_a_branch_joined_late_in():
    """Made on 20 November with no theme day yet this month: 'new' (shown as not counted, no badness); a branch
    there since the summer without one is 'none' and less than ok."""
    late = _figures(_row(datetime(2026, 11, 20, 2, 0, tzinfo=UTC)), [])
    assert late.theme_day == "new" and late.score == 0 and late.level == "ok"
    old = _figures(_row(datetime(2026, 6, 1, 2, 0, tzinfo=UTC)), [_committee(10, 10), _committee(11, 10)])
    assert old.theme_day == "none" and old.score > 0
