"""The start-up benchmark's pure helpers: its percentile, and the theme-day rule that gives it work any day."""

import math
from datetime import UTC, datetime

from bot.bench.startup import percentile, theme_day_rule
from bot.domain.calendar import ThemeDaySettings
from bot.services.themeday import due_months

TZ = "Asia/Shanghai"


def test_percentile_is_the_nearest_rank_of_the_sorted_values():
    """p50 of 1..5 is the middle one whatever the order; p0 and p100 are the smallest and the largest."""
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 5.0
    assert percentile(list(range(101)), 99) == 99


def test_percentile_of_nothing_is_nan():
    """No answers give no figure rather than a made-up zero."""
    assert math.isnan(percentile([], 50))


def test_the_default_rule_is_kept_when_it_has_a_theme_day_to_create():
    """Monday 23 November 2026: December's first Thursday is within the default 10 days' lead."""
    assert theme_day_rule(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), TZ) is None


def test_any_other_day_gets_a_rule_with_a_theme_day_to_create():
    """On days when the default rule has nothing due, the chosen rule has: a theme day is created every run."""
    for day in range(1, 29):
        now = datetime(2026, 3, day, 2, 0, tzinfo=UTC)
        today = now.date()
        rule = theme_day_rule(now, TZ)
        settings = rule or ThemeDaySettings()
        assert due_months(settings, today, TZ, now), day
