"""Dates and times as people read them, in one place: messages, cards, books and file names format days and
moments through these functions, and templates through the filters of the same names (bot/render.py).

Moments are stored in UTC; the functions that take a moment take the time zone it is shown in (the branch's).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

WEEKDAYS = "一二三四五六日"  # Monday = 0, as in datetime.weekday()
QUARTERS = "一二三四"


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


# --- days ---------------------------------------------------------------------------------------------------------

def weekday_named(index: int) -> str:
    """星期四 for 3 (Monday is 0)"""
    return f"星期{WEEKDAYS[index]}"


def weekday(day: date) -> str:
    """星期四"""
    return weekday_named(day.weekday())


def short_weekday(day: date) -> str:
    """周四"""
    return f"周{WEEKDAYS[day.weekday()]}"


def month(day: date) -> str:
    """12月"""
    return month_named(day.month)


def month_day(day: date) -> str:
    """12月3日"""
    return f"{day.month}月{day.day}日"


def full_day(day: date) -> str:
    """2026年12月3日"""
    return f"{day.year}年{day.month}月{day.day}日"


def day_weekday(day: date) -> str:
    """12月3日（星期四）"""
    return f"{month_day(day)}（{weekday(day)}）"


def full_day_weekday(day: date) -> str:
    """2026年12月3日（星期四）"""
    return f"{full_day(day)}（{weekday(day)}）"


def day_range(first: date, last: date) -> str:
    """2026年12月3日至2027年1月5日"""
    return f"{full_day(first)}至{full_day(last)}"


def padded_month_day(day: date) -> str:
    """03月05日 (the books' column heads)"""
    return f"{day:%m月%d日}"


def padded_full_day(day: date) -> str:
    """2026年03月05日 (the books' headings and "统计至")"""
    return f"{day:%Y年%m月%d日}"


def numeric_day(day: date) -> str:
    """2026-12-03 (sheets and file names sort by it)"""
    return f"{day:%Y-%m-%d}"


def compact_day(day: date) -> str:
    """20261203 (file names)"""
    return f"{day:%Y%m%d}"


# --- months and periods -------------------------------------------------------------------------------------------

def year(number: int | str) -> str:
    """2026年"""
    return f"{number}年"


def day_named(number: int) -> str:
    """5日, for a day of the month given by its number"""
    return f"{number}日"


def month_named(number: int) -> str:
    """3月, for a month given by its number"""
    return f"{number}月"


def year_month(year_number: int, month_number: int) -> str:
    """2026年12月"""
    return f"{year(year_number)}{month_named(month_number)}"


def padded_year_month(day: date) -> str:
    """2026年03月"""
    return f"{day:%Y年%m月}"


def short_year_month(year: int, month_number: int) -> str:
    """26年1月: a chart's axis, where the year changes"""
    return f"{year % 100:02d}年{month_number}月"


def month_span(first: date, last: date) -> str:
    """2026年12月, or 2026年1–3月 for several months of one year"""
    if (first.year, first.month) == (last.year, last.month):
        return year_month(first.year, first.month)
    return f"{first.year}年{first.month}–{last.month}月"


def quarter_name(number: int) -> str:
    """第一季度"""
    return f"第{QUARTERS[number - 1]}季度"


def half_name(number: int) -> str:
    """上半年 / 下半年"""
    return "上半年" if number == 1 else "下半年"


def quarter(year: int, number: int) -> str:
    """2026年第一季度"""
    return f"{year}年{quarter_name(number)}"


def half_year(year: int, number: int) -> str:
    """2026年上半年 / 2026年下半年"""
    return f"{year}年{half_name(number)}"


def period_label(period: str) -> str:
    """A month code (2026-12) as 2026年12月."""
    year, month_number = period.split("-")
    return year_month(int(year), int(month_number))


# --- moments ------------------------------------------------------------------------------------------------------

def moment(at: datetime, tz: str) -> str:
    """12月3日 08:30"""
    shown = local(at, tz)
    return f"{month_day(shown)} {shown:%H:%M}"


def span(starts_at: datetime, ends_at: datetime, tz: str) -> str:
    """12月3日（星期四）09:00–11:00"""
    start, end = local(starts_at, tz), local(ends_at, tz)
    return f"{day_weekday(start)}{start:%H:%M}–{end:%H:%M}"


def numeric_moment(at: datetime, tz: str) -> str:
    """2026-12-03 09:00 (sheets)"""
    return f"{local(at, tz):%Y-%m-%d %H:%M}"


def short_numeric_day(at: datetime, tz: str) -> str:
    """12-03 (a sheet's column head, an audit line)"""
    return f"{local(at, tz):%m-%d}"


def compact_moment(at: datetime, tz: str) -> str:
    """20261203-0900 (file names)"""
    return f"{local(at, tz):%Y%m%d-%H%M}"


def stamp(at: datetime, tz: str = "Asia/Shanghai", fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in `fmt` (the templates' `local` filter)."""
    return local(at, tz).strftime(fmt)
