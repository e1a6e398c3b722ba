"""The pause before a use case runs again after a write conflict: short, doubling, jittered."""

from __future__ import annotations

from storage.work import CONFLICT_PAUSE, CONFLICT_TRIES, conflict_pause


def test_pauses_double_and_are_jittered_within_half_to_one_and_a_half():
    """Each retry's pause lies within 0.5–1.5 × 20 ms × 2^(n-1), pauses vary, and all the waits of a use case
    together stay under a quarter of a second."""
    for failed in range(1, CONFLICT_TRIES):
        middle = CONFLICT_PAUSE * 2 ** (failed - 1)
        pauses = [conflict_pause(failed) for _ in range(200)]
        assert all(0.5 * middle <= p <= 1.5 * middle for p in pauses)
        assert len(set(pauses)) > 100  # jittered, not one fixed step
    assert sum(1.5 * CONFLICT_PAUSE * 2 ** (n - 1) for n in range(1, CONFLICT_TRIES)) < 0.25
