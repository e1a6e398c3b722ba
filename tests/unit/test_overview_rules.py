"""Pure rules of oversight: which of an officer's units head their own digest section, and how a branch's first,
partial month and the months before it existed are judged in /overview and the heat map."""

from __future__ import annotations

from bot.domain.units import outermost


def test_outermost_drops_units_under_another_chosen_unit():
    """Root 1 → 2 → 3 and 1 → 4: an officer of 2, 3 and 4 has the subtrees of 2 and 4 (3 is in 2's already); the
    root alone covers everything; a unit since removed is left out."""
    parents = {1: None, 2: 1, 3: 2, 4: 1}
    assert outermost({2, 3, 4}, parents) == [2, 4]
    assert outermost({1, 3, 4}, parents) == [1]
    assert outermost({3, 9}, parents) == [3]
