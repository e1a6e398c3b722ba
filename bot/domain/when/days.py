"""Days without a time, ranges of them ("12月1日到3月31日"), a day that opens a line ("12月8日 自学党章总纲") and a
month ("2026年12月", "上个月") — read with the same grammar of dates as times are (pure)."""

from __future__ import annotations

import re
from datetime import date

from bot.domain.when.grammar import (
    _DATE,
    _MONTH_OFFSETS,
    _NUM,
    _RELATIVE_DAYS,
    _WEEK_WORD,
    _YEAR,
    _YEAR_OFFSETS,
    BAD_DATE,
    END_BEFORE_START,
    UNREADABLE,
    Refusal,
    Refused,
    _,
    _days,
    _month_shift,
    _normalize,
    _number,
)

_DAY_ONLY = re.compile(rf"^(?:{_DATE})$")
# A day that opens a line, followed by the rest: after a space or punctuation, or (a day written with its month)
# straight on ("3月5日谈话"). A bare "5号" needs the separator: "5号楼" is a place, not the 5th.
_PUNCTUATION = " ,，、:：;；"
_DAY_FIRST = re.compile(rf"^(?:{_DATE})(?:(?=[{_PUNCTUATION}]|$)|(?<=[日号]))")
# A dash between days only with spaces around it: "2026-12-01" is one day.
_WRITTEN_YEAR = re.compile(rf"^(?:{_YEAR}){_}[年/.-]")
_DAY_SEPARATORS = re.compile(r" ?(?:到|至|~+|—+|–+) ?| - ")
_MONTH = re.compile(
    rf"^(?:(?P<y>{_YEAR}){_}(?:年|[-/.]){_}(?P<ym>{_NUM}){_}月?"
    rf"|(?P<yrel>{'|'.join(_YEAR_OFFSETS)}){_}(?P<yrm>{_NUM}){_}月"
    rf"|(?P<mrel>{'|'.join(sorted(_MONTH_OFFSETS, key=len, reverse=True))})"
    rf"|(?P<m>{_NUM}){_}月?)$")


def read_day(text: str, today: date, *, past: bool = False) -> date | Refusal:
    """One day without a time ("12月1日", "2027年3月31日", "下周一", "明天", "下个月5号"), the nearest that fits
    after `today`'s rules for each form (see `read`); `past`: a day something already happened on."""
    match = _DAY_ONLY.match(_normalize(text))
    if not match:
        return Refusal(UNREADABLE)
    return _first_day(match, today, past)


def _first_day(match: re.Match[str], today: date, past: bool) -> date | Refusal:
    try:
        days = _days(match, today, past)
    except Refused as refused:
        return Refusal(refused.reason)
    except ValueError:
        return Refusal(UNREADABLE)
    return days[0]


def read_written_day(text: str) -> date | Refusal:
    """A day with its year written out, as a file's cell has it ("2027-01-01", "2027/1/1", "2027年1月1日"); words
    that count from today ("明天", "5号") are not taken."""
    cleaned = _normalize(text)
    if not _WRITTEN_YEAR.match(cleaned):
        return Refusal(UNREADABLE)
    return read_day(cleaned, date(2000, 1, 1))


def read_day_range(text: str, today: date) -> tuple[date, date] | Refusal:
    """A range of days ("12月1日到3月31日", "2026-12-01至2027-03-31", "明天到下周五"); the end is read from the
    start's point of view, so "12月1日到3月31日" ends in the next year. An end before the start is refused."""
    parts = _DAY_SEPARATORS.split(_normalize(text))
    if len(parts) != 2:
        return Refusal(UNREADABLE)
    start = read_day(parts[0], today)
    if isinstance(start, Refusal):
        return start
    relative = re.match(rf"^(?:{'|'.join(_RELATIVE_DAYS)}|.*{_WEEK_WORD}|.*月)", parts[1])
    end = read_day(parts[1], today if relative and not parts[1][0].isdigit() else start)
    if isinstance(end, Refusal):
        return end
    if end < start:
        return Refusal(END_BEFORE_START)
    return start, end


def read_day_prefix(text: str, today: date, *, past: bool = True) -> tuple[date | None, str] | Refusal:
    """A line that may open with the day something happened ("3月5日，工作和思想情况", "12月8日 自学党章总纲"):
    (the day, the rest of the line), or (None, the whole line) when it does not open with a day. A day that cannot
    exist ("12月40日") is refused, never taken as words. `past` as in `read_day`."""
    line = _normalize(text)
    match = _DAY_FIRST.match(line)
    if match is None or (match.group("d") and match.end() < len(line) and line[match.end()] not in _PUNCTUATION):
        return None, line  # no day first, or a bare "5号" run on into words ("5号楼"): not a day
    day = _first_day(match, today, past)
    if isinstance(day, Refusal):
        return day
    return day, line[match.end():].strip(_PUNCTUATION)


def read_month(text: str, today: date) -> tuple[int, int] | Refusal:
    """A month ("12", "12月", "2026-12", "2026年12月", "2026.12", "上个月", "明年1月"): (year, month); a bare month is
    the latest one not after this month. Years from 1900 (a birth month in a roster) to 2100."""
    match = _MONTH.match(_normalize(text))
    if match is None:
        return Refusal(UNREADABLE)
    try:
        if match.group("y"):
            year, month = _number(match.group("y")), _number(match.group("ym"))
        elif match.group("yrel"):
            year, month = today.year + _YEAR_OFFSETS[match.group("yrel")], _number(match.group("yrm"))
        elif match.group("mrel"):
            year, month = _month_shift(today.year, today.month, _MONTH_OFFSETS[match.group("mrel")])
        else:
            month = _number(match.group("m"))
            year = today.year if month <= today.month else today.year - 1
    except ValueError:
        return Refusal(UNREADABLE)
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return Refusal(BAD_DATE)
    return year, month
