"""Who is asked for a thought report, how often, and when a whole period passed without one."""

from __future__ import annotations

from datetime import date

from bot.domain import talks as rules


def test_probationary_members_follow_report_months_and_full_members_only_when_asked():
    """A 预备党员 is asked every `report_months`; a full member every `member_report_months`, never when it is 0."""
    assert rules.months_between_reports(True, 3, 0) == 3
    assert rules.months_between_reports(True, 1, 12) == 1
    assert rules.months_between_reports(False, 3, 0) is None
    assert rules.months_between_reports(False, 3, 6) == 6


def test_overdue_after_a_whole_half_year_without_a_report():
    """Half-yearly: a report in December covers Jul–Dec; in July 2027 the Jan–Jun half-year was missed."""
    since = date(2026, 1, 5)
    assert not rules.report_overdue(date(2026, 12, 19), since, date(2027, 1, 5), 6)
    assert rules.report_overdue(date(2026, 12, 19), since, date(2027, 7, 2), 6)
    assert not rules.report_overdue(None, date(2027, 3, 1), date(2027, 7, 2), 6)  # joined mid-period
