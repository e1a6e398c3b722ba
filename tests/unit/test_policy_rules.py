"""Unit policy as pure rules (bot/domain/policy.py): what is stricter, nearest unit wins but never laxer than above,
a branch's own stricter choices, what a branch or unit is offered, and how "每月第一周" is read."""

from datetime import date

import pytest

from bot.domain import policy as rules
from bot.domain.cadence import Cadence
from bot.domain.calendar import ThemeDaySettings, occurrence
from bot.domain.meetings import MeetingKind
from bot.domain.minutes import MeetingRules
from bot.domain.models import BranchSettings

COUNTY, TOWN = 1, 2


@pytest.mark.parametrize(("stricter", "laxer"), [
    ("quarter_1", "half_2"),  # a meeting each quarter gives two each half-year; two in a half-year may share a quarter
    ("month_1", "quarter_2"), ("half_1", "year_2"), ("half_1", "year_1"), ("year_1", "none_0"),
    ("month_2", "month_1"),
])
def test_cadences_order_by_what_they_guarantee(stricter, laxer):
    """A cadence is stricter when every schedule meeting it also meets the laxer one, never the other way."""
    assert rules.at_least("cadence_life", stricter, laxer)
    assert not rules.at_least("cadence_life", laxer, stricter)


def test_fewer_days_and_an_earlier_due_day_are_stricter():
    """Minutes, review days and the 优秀 share: fewer is stricter; a due day beats none; location > none."""
    assert rules.at_least("minutes_working_days", "2", "3") and not rules.at_least("minutes_working_days", "5", "3")
    assert rules.at_least("theme_due_day", "3", "5") and rules.at_least("theme_due_day", "15", "0")
    assert not rules.at_least("theme_due_day", "0", "15")
    assert rules.at_least("excellent_pct", "15", "20") and not rules.at_least("excellent_pct", "25", "20")
    assert rules.at_least("checkin", "location", "location") and not rules.at_least("checkin", "none", "location")


def test_nearest_unit_wins_unless_a_unit_above_is_stricter():
    """The town's half-yearly 组织生活会 holds over the county's yearly one; once the county asks for it quarterly,
    the town's half-yearly value gives way to it. An unordered setting: the nearest unit's value holds."""
    town_rules = rules.resolve([(COUNTY, {"cadence_life": "year_1", "theme_week": "full"}),
                                (TOWN, {"cadence_life": "half_1", "theme_week": "first"})])
    assert town_rules["cadence_life"] == rules.Ruling("half_1", TOWN)
    assert town_rules["theme_week"] == rules.Ruling("first", TOWN)
    tightened = rules.resolve([(COUNTY, {"cadence_life": "quarter_1"}), (TOWN, {"cadence_life": "half_1"})])
    assert tightened["cadence_life"] == rules.Ruling("quarter_1", COUNTY)
    assert rules.resolve([])["minutes_working_days"].is_default


def test_a_branch_may_be_stricter_never_laxer():
    """A branch's own quarterly 组织生活会 holds under the town's half-yearly rule; its own 不要求 does not; its own
    holiday rule holds only while no unit set one; a value from the command line that is no choice still counts."""
    units = rules.resolve([(TOWN, {"cadence_life": "half_1", "theme_holiday_move": "keep"})])
    found = rules.for_branch(units, {"cadence_life": "quarter_1", "cadence_lecture": "none_0",
                                     "theme_holiday_move": "previous_workday", "cadence_group": "month_3"})
    assert found["cadence_life"] == rules.Ruling("quarter_1", own=True)
    assert found["cadence_lecture"] == units["cadence_lecture"]
    assert found["theme_holiday_move"] == rules.Ruling("keep", TOWN)
    assert found["cadence_group"].code == "month_3"
    assert rules.for_branch(rules.defaults(), {"theme_holiday_move": "keep"})["theme_holiday_move"].own


def test_a_branch_is_offered_only_what_its_units_allow():
    """Under a half-yearly rule the branch is offered half-yearly or more often, never yearly or 不要求; a holiday
    rule a unit set is not offered at all; a unit is offered what holds above it or stricter, and any unordered
    value."""
    units = rules.resolve([(TOWN, {"cadence_life": "half_1", "theme_holiday_move": "keep"})])
    offered = rules.branch_offer("cadence_life", units)
    assert "half_1" in offered and "month_2" in offered and "year_1" not in offered and "none_0" not in offered
    assert rules.branch_offer("theme_holiday_move", units) == ()
    assert rules.branch_offer("review_days", units) == ()  # the units' alone
    assert set(rules.unit_offer("theme_week", units)) == {"first", "full"}
    assert "7" not in rules.unit_offer("review_days", rules.resolve([(COUNTY, {"review_days": "5"})]))


def test_own_choices_are_what_the_branch_chose_or_before_policies_what_differs_from_the_default():
    """Stored before policies (`own` None), a value other than the default counts as chosen; once `own` is kept it
    alone says what was chosen — the default value too."""
    legacy = MeetingRules(cadences={**MeetingRules().cadences, MeetingKind.LIFE: Cadence(per="half")},
                          minutes_working_days=3)
    assert rules.branch_own(legacy, BranchSettings()) == {"cadence_life": "half_1"}
    chosen = legacy.model_copy(update={"own": ["minutes_working_days"]})
    assert rules.branch_own(chosen, BranchSettings(evaluation_excellent_max_pct=15)) == {
        "minutes_working_days": "3", "excellent_pct": "15"}
    assert rules.own_after(None, rules.RULES_FIELDS, rules.stored_values(legacy, BranchSettings()),
                           "minutes_working_days", True) == ["cadence_life", "minutes_working_days"]


def test_the_rules_in_force_are_applied_to_the_stored_ones():
    """apply_rules / apply_settings put the values in force into MeetingRules and BranchSettings."""
    found = rules.resolve([(TOWN, {"cadence_life": "half_1", "minutes_working_days": "2", "theme_due_day": "5",
                                   "excellent_pct": "15"})])
    applied = rules.apply_rules(MeetingRules(), found)
    assert applied.cadences[MeetingKind.LIFE] == Cadence(per="half", times=1) and applied.minutes_working_days == 2
    settings = rules.apply_settings(BranchSettings(), found)
    assert (settings.theme_due_day, settings.evaluation_excellent_max_pct) == (5, 15)


@pytest.mark.parametrize(("month", "first", "full"), [
    (1, 1, 8),  # 2026-01-01 is a Thursday: the week of 29 Dec counts as the first, or not
    (10, 1, 8), (4, 2, 9), (12, 3, 10),
    (2, 5, 5), (6, 4, 4),  # the month starts on a Sunday / Monday: both readings agree
])
def test_the_first_week_of_the_month_read_both_ways(month, first, full):
    """每月第一周的星期四: the first Thursday (a week begun last month counts), or the Thursday of the first week
    that begins in the month; the label says which."""
    rule = ThemeDaySettings()
    assert occurrence(rule, 2026, month) == date(2026, month, first)
    full_weeks = rule.model_copy(update={"full_weeks": True})
    assert occurrence(full_weeks, 2026, month) == date(2026, month, full)
    assert full_weeks.label == "每月第一个完整周的星期四"
    assert "full_weeks" not in full_weeks.model_dump_json(exclude_defaults=True)  # a policy, never stored


def test_a_fourth_full_week_past_the_month_falls_back_to_its_last_such_day():
    """The 4th full week's Friday of a month whose first Monday is the 7th would be the 3rd of the next month: the
    month's last Friday instead."""
    rule = ThemeDaySettings(nth=4, weekday=4, full_weeks=True)
    assert occurrence(rule, 2026, 9) == date(2026, 9, 25)  # first Monday 7 Sep; 7 + 21 + 4 = 32 > 30
