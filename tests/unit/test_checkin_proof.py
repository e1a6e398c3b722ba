"""The check-in code and what a branch's policy asks a check-in to prove."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.domain import checkin_proof as rules
from bot.domain.checkin_proof import Proof

SECRET = "0f" * 16
AT = datetime(2026, 12, 3, 0, 30, 10, tzinfo=UTC)


def test_code_is_four_digits_kept_for_its_window_and_the_next():
    """The code shown now is taken now and for the next 30-second window, not after; it changes with the window."""
    code = rules.code_at(SECRET, AT)
    assert len(code) == 4 and code.isdigit()
    assert rules.code_at(SECRET, AT + timedelta(seconds=19)) == code  # same window (00:30:00–00:30:29)
    assert rules.matches(SECRET, code, AT + timedelta(seconds=30))
    assert not rules.matches(SECRET, code, AT + timedelta(seconds=60))
    assert rules.changes_at(AT) == datetime(2026, 12, 3, 0, 30, 30, tzinfo=UTC)
    codes = {rules.code_at(SECRET, AT + timedelta(seconds=30 * n)) for n in range(20)}
    assert len(codes) > 10  # it really changes


def test_typed_code_tolerates_spaces_and_full_width_digits_but_not_other_secrets():
    """' １２３４ ' reads as 1234; another secret, another sequence."""
    code = rules.code_at(SECRET, AT)
    wide = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert rules.matches(SECRET, f" {wide[:2]} {wide[2:]} ", AT)
    other = "a1" * 16
    windows = [AT + timedelta(seconds=30 * n) for n in range(10)]
    assert [rules.code_at(other, w) for w in windows] != [rules.code_at(SECRET, w) for w in windows]


def test_policy_asks_location_only_where_the_meeting_has_a_venue():
    """核对位置 without a venue asks nothing; 位置或签到码 without one asks the code; 不核验 asks nothing."""
    assert rules.accepted(Proof.LOCATION, True) == {"location"}
    assert rules.accepted(Proof.LOCATION, False) == frozenset()
    assert rules.accepted(Proof.CODE, False) == {"code"}
    assert rules.accepted(Proof.EITHER, True) == {"location", "code"}
    assert rules.accepted(Proof.EITHER, False) == {"code"}
    assert rules.accepted(Proof.NONE, True) == frozenset()


def test_the_qr_links_payload_fits_telegrams_start_parameter_and_changes_with_the_code():
    """ci_<meeting>_<window>_<mac>: at most 64 of [A-Za-z0-9_-] even for a 12-digit meeting id; taken in its window
    and the next, not after; another meeting's secret, an altered mac or another meeting id is refused."""
    now = datetime(2026, 12, 3, 1, 0, 10, tzinfo=UTC)
    payload = rules.link_payload("s" * 32, 999_999_999_999, now)
    assert len(payload) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", payload)
    assert rules.link_meeting(payload) == 999_999_999_999
    good = rules.link_payload("secret", 7, now)
    assert rules.link_matches("secret", good, now + timedelta(seconds=30))
    assert not rules.link_matches("secret", good, now + timedelta(seconds=60))
    assert not rules.link_matches("other", good, now)
    assert not rules.link_matches("secret", good[:-1] + ("x" if good[-1] != "x" else "y"), now)
    assert not rules.link_matches("secret", good.replace("ci_7_", "ci_8_"), now)
    assert rules.link_meeting("ci_7_1_short") is None and rules.link_payload("secret", 7, now) != \
        rules.link_payload("secret", 7, now + timedelta(seconds=30))
