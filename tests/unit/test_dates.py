"""Dates as people read them (bot/domain/dates.py), the same in code and in templates."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

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


@pytest.mark.parametrize(("written", "expected"), [
    (dates.padded_month_day(date(2027, 3, 5)), "03月05日"),
    (dates.padded_full_day(date(2027, 3, 5)), "2027年03月05日"),
    (dates.padded_year_month(date(2027, 3, 5)), "2027年03月"),
    (dates.year(2026), "2026年"),
    (dates.month_named(3), "3月"),
    (dates.day_named(5), "5日"),
    (dates.compact_moment(START, TZ), "20261203-0900"),
    (dates.quarter_name(2), "第二季度"),
    (dates.half_name(2), "下半年"),
])
def test_each_format_of_the_books(written, expected):
    """The record books keep their own, zero-padded, dates and file stamps: written here too."""
    assert written == expected


OWN_FORMATS = ("bot/domain/dates.py", "bot/keys/", "bot/emulator/", "bot/bench/")  # keys stamp times their own way


def test_no_date_is_formatted_by_hand():
    """Outside bot/domain/dates.py no code writes a day, month or weekday itself (月/日 after a value, a strftime
    pattern with 年月日 or a month and day, a weekday table): they all go through the one module."""
    root = Path(__file__).resolve().parents[2]
    by_hand = re.compile(r"""\.(month|day)\}[月日]|\.year\}年\{|%[Ym][年月]|%d日|%m-%d|%Y-%m-%d|\bWEEKDAYS\[|一二三四五六日"\[""")
    found = [f"{path.relative_to(root)}:{number}" for folder in ("bot", "handlers")
             for path in sorted((root / folder).rglob("*.py"))
             if not path.relative_to(root).as_posix().startswith(OWN_FORMATS)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if by_hand.search(line)]
    assert not found
