"""Dates as people read them (bot/domain/dates.py), the same in code and in templates."""

from datetime import UTC, date, datetime

import pytest

from bot.domain import dates
from bot.render import DATE_FILTERS, environment

DAY = date(2026, 12, 3)  # a Thursday
START = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
END = datetime(2026, 12, 3, 3, 30, tzinfo=UTC)
TZ = "Asia/Shanghai"


@pytest.mark.parametrize(("written", "expected"), [
    (dates.weekday(DAY), "星期四"),
    (dates.short_weekday(DAY), "周四"),
    (dates.weekday_named(6), "星期日"),
    (dates.month(DAY), "12月"),
    (dates.month_day(date(2027, 1, 5)), "1月5日"),
    (dates.full_day(DAY), "2026年12月3日"),
    (dates.day_weekday(DAY), "12月3日（星期四）"),
    (dates.full_day_weekday(DAY), "2026年12月3日（星期四）"),
    (dates.day_range(DAY, date(2027, 1, 5)), "2026年12月3日至2027年1月5日"),
    (dates.numeric_day(DAY), "2026-12-03"),
    (dates.compact_day(DAY), "20261203"),
    (dates.year_month(2026, 12), "2026年12月"),
    (dates.short_year_month(2027, 1), "27年1月"),
    (dates.month_span(date(2027, 1, 1), date(2027, 3, 31)), "2027年1–3月"),
    (dates.month_span(DAY, date(2026, 12, 31)), "2026年12月"),
    (dates.quarter(2026, 4), "2026年第四季度"),
    (dates.half_year(2026, 1), "2026年上半年"),
    (dates.period_label("2026-09"), "2026年9月"),
    (dates.moment(START, TZ), "12月3日 09:00"),
    (dates.span(START, END, TZ), "12月3日（星期四）09:00–11:30"),
    (dates.numeric_moment(START, TZ), "2026-12-03 09:00"),
    (dates.short_numeric_day(datetime(2026, 12, 2, 17, tzinfo=UTC), TZ), "12-03"),
    (dates.stamp(START), "2026-12-03 09:00"),
])
def test_each_format(written, expected):
    """Each function writes its date the one way the bot shows it (local time where it takes a zone)."""
    assert written == expected


def test_templates_write_dates_as_code_does():
    """The filters templates use are the same functions: a date in a template reads as the code writes it."""
    env = environment()
    assert all(env.filters[name] is getattr(dates, name) for name in DATE_FILTERS)
    text = env.from_string("{{ d | month_day }} {{ a | moment(tz) }} {{ a | span(b, tz) }} {{ d | weekday }}").render(
        d=DAY, a=START, b=END, tz=TZ)
    assert text == "12月3日 12月3日 09:00 12月3日（星期四）09:00–11:30 周四"
