"""The theme day's calendar rule over several years, and what a secretary may type for it."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import date

import pytest

from bot.domain.calendar import (
    ThemeDayRule,
    ThemeDaySettings,
    next_months,
    occurrence,
    parse_rule,
    parse_time_range,
)

FIRST_THURSDAY = ThemeDayRule()


def _months(first_year: int, last_year: int):
    return [(y, m) for y in range(first_year, last_year + 1) for m in range(1, 13)]


@pytest.mark.parametrize(("year", "month", "expected"), [
    (2026, 1, date(2026, 1, 1)),   # the 1st is a Thursday
    (2026, 10, date(2026, 10, 1)),
    (2026, 5, date(2026, 5, 7)),   # the 1st is a Friday: the first Thursday is the 7th
    (2027, 1, date(2027, 1, 7)),
    (2026, 12, date(2026, 12, 3)),
    (2028, 2, date(2028, 2, 3)),
])
def test_first_thursday_known_dates(year, month, expected):
    """Seed 000's default: the first Thursday, including months where it falls on the 1st or the 7th."""
    assert occurrence(FIRST_THURSDAY, year, month) == expected


def test_nth_weekday_matches_a_brute_force_count_for_ten_years():
    """For every n (1–4, last) and weekday, 2025–2034: the date has that weekday and is the n-th of the month."""
    for nth in (1, 2, 3, 4, -1):
        for weekday in range(7):
            rule = ThemeDayRule(nth=nth, weekday=weekday)
            for year, month in _months(2025, 2034):
                days = [d for d in range(1, stdlib_calendar.monthrange(year, month)[1] + 1)
                        if date(year, month, d).weekday() == weekday]
                expected = date(year, month, days[nth - 1] if nth > 0 else days[-1])
                assert occurrence(rule, year, month) == expected


def test_last_friday():
    """'最后一个星期五' in a month of five Fridays and one of four."""
    rule = ThemeDayRule(nth=-1, weekday=4)
    assert occurrence(rule, 2026, 7) == date(2026, 7, 31)
    assert occurrence(rule, 2026, 2) == date(2026, 2, 27)


def test_day_of_month_rule_and_short_months():
    """Seed 002: the 5th of every month; a 31st falls back to a short month's last day (leap years too)."""
    fifth = ThemeDayRule(mode="monthday", day=5)
    assert [occurrence(fifth, y, m).day for y, m in _months(2026, 2029)] == [5] * 48
    end = ThemeDayRule(mode="monthday", day=31)
    assert occurrence(end, 2026, 2) == date(2026, 2, 28)
    assert occurrence(end, 2028, 2) == date(2028, 2, 29)
    assert occurrence(end, 2026, 4) == date(2026, 4, 30)
    assert occurrence(end, 2026, 12) == date(2026, 12, 31)


@pytest.mark.parametrize(("text", "mode", "nth", "weekday", "day"), [
    ("第一个星期四", "weekday", 1, 3, None),
    ("每月第二个周三", "weekday", 2, 2, None),
    ("最后一个星期五", "weekday", -1, 4, None),
    ("第3个礼拜天", "weekday", 3, 6, None),
    ("每月5日", "monthday", None, None, 5),
    ("15号", "monthday", None, None, 15),
    (" 每月 5 日 ", "monthday", None, None, 5),
])
def test_parse_rule(text, mode, nth, weekday, day):
    """The ways a secretary writes the rule are understood; the times are kept."""
    base = ThemeDaySettings(start="14:30", end="16:30")
    rule = parse_rule(text, base)
    assert rule.mode == mode and rule.start == "14:30" and isinstance(rule, ThemeDaySettings)
    if mode == "weekday":
        assert (rule.nth, rule.weekday) == (nth, weekday)
    else:
        assert rule.day == day


@pytest.mark.parametrize("text", ["", "下周四", "第五个星期四", "每月32日", "0号", "星期八"])
def test_parse_rule_refuses_what_it_cannot_read(text):
    """Unclear rules raise ValueError (the handler answers with examples) instead of guessing."""
    with pytest.raises(ValueError):
        parse_rule(text, ThemeDayRule())


def test_parse_time_range():
    """'14:30-16:30', full-width colons and 至 are accepted; an end before the start is refused."""
    assert parse_time_range("14:30-16:30", ThemeDayRule()).start == "14:30"
    assert parse_time_range("8：30至11：00", ThemeDayRule()).end == "11:00"
    for bad in ("16:30-14:30", "25:00-26:00", "两点半", "14:30"):
        with pytest.raises(ValueError):
            parse_time_range(bad, ThemeDayRule())


def test_labels_and_month_sequence():
    """The rule reads back in Chinese; the month list rolls over the year end."""
    assert ThemeDayRule().label == "每月第一个星期四"
    assert ThemeDayRule(mode="monthday", day=5).label == "每月5日"
    assert next_months(date(2026, 12, 20), 2) == [(2026, 12), (2027, 1)]


def test_parse_time_range_takes_spoken_forms():
    """'下午2点半到4点半' is 14:30–16:30; '2:30-4:30' (night or afternoon?) is refused rather than guessed."""
    rule = parse_time_range("下午2点半到4点半", ThemeDayRule())
    assert (rule.start, rule.end) == ("14:30", "16:30")
    with pytest.raises(ValueError):
        parse_time_range("2:30-4:30", ThemeDayRule())
