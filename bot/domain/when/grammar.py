"""The grammar of typed dates and times behind bot/domain/when (pure): the patterns, clock times and days.

The rules are the package docstring's; this module only spells them out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time, timedelta

# Refusal reasons: each has a wording in the templates that show it (e.g. templates/scheduling/bad_when.j2).
UNREADABLE = "unreadable"  # nonsense, or a form we do not know
NO_TIME = "no_time"  # a day, or a part of day, without a clock time ("明天下午")
BAD_DATE = "bad_date"  # no such day ("13月1日", "2月30日")
BAD_TIME = "bad_time"  # no such time ("25点", "9点70分")
PART_OF_DAY = "part_of_day"  # the hour does not fit the part of day ("上午14点", "晚上3点")
WEEKDAY_MISMATCH = "weekday_mismatch"  # "12月5日（星期三）" when 12月5日 is a Saturday
END_BEFORE_START = "end_before_start"


@dataclass(frozen=True)
class Refusal:
    reason: str


# ---- the grammar ----------------------------------------------------------------------------------------------

_ = r" ?"  # one optional space between parts (runs of white space are collapsed before matching)
_NUM = r"[0-9]{1,2}|[零〇一二两三四五六七八九十]{1,3}"
_YEAR = r"[0-9]{4}|[零〇一二三四五六七八九]{4}"
_WEEKDAY = r"[一二三四五六日天1-7]"
_WEEK_WORD = r"(?:周|星期|礼拜)"
_PARTS = r"凌晨|早上|早晨|清晨|上午|中午|午后|下午|傍晚|晚上|晚间|夜里"
_RELATIVE_DAYS = {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "今天": 0, "今日": 0, "昨天": -1, "昨日": -1,
                  "前天": -2}
# A day and a part of day in one word.
_RELATIVE_PARTS = {"今晚": (0, "晚上"), "明晚": (1, "晚上"), "今早": (0, "早上"), "明早": (1, "早上")}
_WEEK_OFFSETS = {"本": 0, "这": 0, "这个": 0, "下": 1, "下个": 1, "下下": 2, "下下个": 2, "上": -1, "上个": -1}
_MONTH_OFFSETS = {"本月": 0, "这个月": 0, "这月": 0, "当月": 0, "下个月": 1, "下月": 1, "下下个月": 2, "上个月": -1,
                  "上月": -1}
_YEAR_OFFSETS = {"今年": 0, "明年": 1, "后年": 2, "去年": -1}
_SEPARATORS = r"-+|~+|—+|–+|到|至"


def _clock(suffix: str) -> str:
    return (rf"(?P<h{suffix}>{_NUM}){_}(?:(?P<colon{suffix}>:){_}(?P<mc{suffix}>[0-9]{{2}})"
            rf"|(?P<dian{suffix}>点钟?|时){_}(?:(?P<half{suffix}>半)|(?P<quarter{suffix}>[一三13])刻"
            rf"|(?P<mp{suffix}>{_NUM}){_}分?)?)?")


def _weekday_note(name: str) -> str:
    """"12月5日（星期六）": the weekday people copy from the bot's own messages, checked against the date."""
    return rf"(?:{_}\(?{_}{_WEEK_WORD}(?P<{name}>{_WEEKDAY}){_}\)?)?"


_DATE = (
    rf"(?:(?P<y>{_YEAR}){_}(?:年|[-/.]){_}(?P<ym>{_NUM}){_}(?:月|[-/.]){_}(?P<yd>{_NUM}){_}[日号]?"
    rf"{_weekday_note('note')}"
    rf"|(?P<m>{_NUM}){_}(?:月|[-/.]){_}(?P<md>{_NUM}){_}[日号]?{_weekday_note('note2')}"
    rf"|(?P<yrel>{'|'.join(_YEAR_OFFSETS)}){_}(?P<yrm>{_NUM}){_}月{_}(?P<yrd>{_NUM}){_}[日号]?"
    rf"|(?P<mrel>{'|'.join(sorted(_MONTH_OFFSETS, key=len, reverse=True))}){_}(?P<mrd>{_NUM}){_}[日号]"
    rf"|(?P<d>{_NUM}){_}[日号]"
    rf"|(?P<rel>{'|'.join(_RELATIVE_DAYS)})"
    rf"|(?P<relpart>{'|'.join(_RELATIVE_PARTS)})"
    rf"|(?P<week>{'|'.join(sorted(_WEEK_OFFSETS, key=len, reverse=True))})?{_}{_WEEK_WORD}(?P<wd>{_WEEKDAY}))"
)
_MOMENT = (rf"(?:{_DATE})?{_}(?P<part>{_PARTS})?{_}{_clock('')}"
           rf"(?:{_}(?:{_SEPARATORS}){_}(?P<part2>{_PARTS})?{_}{_clock('2')})?")
_TEXT = re.compile(rf"^{_MOMENT}$")
# A moment followed by something else ("下周四 15:00-17:00 村委会"): the rest starts after a space or a comma, or
# with a character that cannot continue a time.
_LEADING = re.compile(rf"^{_MOMENT}(?=[ ,，、;；]|[^0-9:点时分半刻到至~—–\-])")
_DATE_ONLY = re.compile(rf"^(?:{_DATE}){_}(?:{_PARTS})?$|^(?:{_PARTS})$")


def _normalize(text: str) -> str:
    """Full-width digits, colons, tildes and brackets become ASCII (NFKC); white space collapses to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def _number(written: str) -> int:
    if written.isdigit():
        return int(written)
    import cn2an  # a numeral written in Chinese: its library (with its data) is loaded the first time one comes

    value = cn2an.cn2an(written, "smart")  # raises ValueError on a malformed numeral such as 十十
    return int(value)


def _weekday(written: str) -> int:
    """Monday = 0; 日/天/7 is Sunday."""
    if written.isdigit():
        return int(written) - 1
    return "一二三四五六日".index("日" if written == "天" else written)


# ---- clock times --------------------------------------------------------------------------------------------------

_PART_HOURS = {  # the hours each part of day allows, after afternoon hours are moved past noon
    "凌晨": range(0, 7), "早上": range(4, 12), "早晨": range(4, 12), "清晨": range(4, 9), "上午": range(0, 13),
    "中午": range(11, 15), "午后": range(12, 19), "下午": range(12, 20), "傍晚": range(16, 21),
    "晚上": range(17, 24), "晚间": range(17, 24), "夜里": range(18, 24)}
_AFTER_NOON = {"中午", "午后", "下午", "傍晚", "晚上", "晚间", "夜里"}


@dataclass(frozen=True)
class _Clock:
    hour: int  # as written (0–23 checked)
    minute: int
    literal: bool  # written so it can only mean one thing: zero-padded, or 0 / 13–23
    marked: bool  # written with 点/时/":" (a bare "2" only counts in "2到4点")


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _read_clock(match: re.Match[str], suffix: str) -> _Clock:
    def group(name: str) -> str:
        """The group's text, "" when it took no part in the match (the hour always does)."""
        return match.group(name + suffix) or ""

    written = group("h")
    hour = _number(written)
    if group("half"):
        minute = 30
    elif group("quarter"):
        minute = 15 if group("quarter") in "一1" else 45
    elif group("mc") or group("mp"):
        minute = _number(group("mc") or group("mp"))
    else:
        minute = 0
    if hour > 23 or minute > 59:
        raise Refused(BAD_TIME)
    marked = bool(group("colon") or group("dian"))
    literal = hour == 0 or hour >= 13 or (written.startswith("0") and len(written) == 2)
    return _Clock(hour, minute, literal, marked)


def _with_part(clock: _Clock, part: str) -> int:
    """The 24-hour hour of a clock time written with a part of day; Refused when they do not fit."""
    hour = clock.hour
    if part in _AFTER_NOON and hour < 12 and not (part == "中午" and hour == 11):
        hour += 12
    if part == "凌晨" and hour == 12:
        hour = 0
    if hour not in _PART_HOURS[part]:
        raise Refused(PART_OF_DAY)
    return hour


def _start_hours(clock: _Clock, part: str | None) -> list[int]:
    if part:
        return [_with_part(clock, part)]
    if clock.literal or clock.hour >= 7:
        return [clock.hour]
    return [clock.hour, clock.hour + 12]  # "3点": 03:00 or 15:00


def _end_time(start: time, clock: _Clock, part: str | None) -> time | None:
    """The end: its own part of day, or as written if literal, else the first matching clock time after the start."""
    if part:
        candidates = [_with_part(clock, part)]
    elif clock.literal:
        candidates = [clock.hour]
    else:
        candidates = [clock.hour % 12, clock.hour % 12 + 12]
    for hour in candidates:
        end = time(hour, clock.minute)
        if end > start:
            return end
    return None


def _evening_too(match: re.Match[str]) -> bool:
    """A morning hour 7–11 written without a part of day or a zero ("8点", "9:30"): it may mean the evening."""
    clock = _read_clock(match, "")
    part = match.group("part") or match.group("relpart")
    return part is None and not clock.literal and 7 <= clock.hour <= 11


def _clock_readings(match: re.Match[str]) -> list[tuple[time, time | None]]:
    """The (start, end) clock times the text can mean, earliest first."""
    start_clock = _read_clock(match, "")
    end_clock = _read_clock(match, "2") if match.group("h2") else None
    if not start_clock.marked and (end_clock is None or not end_clock.marked):
        raise Refused(UNREADABLE)  # a bare number: "5", or "2到4" without 点
    part = match.group("part") or (_RELATIVE_PARTS[match.group("relpart")][1] if match.group("relpart") else None)
    readings: list[tuple[time, time | None]] = []
    for hour in _start_hours(start_clock, part):
        start = time(hour, start_clock.minute)
        if end_clock is None:
            readings.append((start, None))
        elif (end := _end_time(start, end_clock, match.group("part2"))) is not None:
            readings.append((start, end))
    if not readings:
        raise Refused(END_BEFORE_START)
    return readings


# ---- days ---------------------------------------------------------------------------------------------------------

def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Refused(BAD_DATE) from None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _month_shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _month_day(month: int, day: int, today: date, past: bool) -> date:
    """A day of a month without its year: the coming one (unless more than half a year back). For what already
    happened, the latest one not after today in this year or the last half year ("3月5日" typed in December is this
    March, "12月28日" typed in January last December); otherwise the coming one, which the caller refuses as not yet
    happened ("12月30日" typed in November is a slip, not a day eleven months back)."""
    if not _valid(2024, month, day):  # no such day in any year (2024 has 29 February)
        raise Refused(BAD_DATE)
    half_year_back = today - timedelta(days=183)
    years = (today.year - 1, today.year, today.year + 1) if past else (today.year, today.year + 1)
    options = [d for year in years if (d := _valid(year, month, day))]
    if past and (back := [d for d in options if d <= today and (d.year == today.year or d >= half_year_back)]):
        return back[-1]
    options = [d for d in options if d >= (today if past else half_year_back)]
    if not options:
        raise Refused(BAD_DATE)
    return options[0]


def _day_of_month(day: int, today: date, past: bool) -> date:
    """"5号": this month's unless more than 15 days back (then next month's); for what already happened, the latest
    5th not after today."""
    if not 1 <= day <= 31:
        raise Refused(BAD_DATE)
    shifts = (-1, 0) if past else (0, 1)
    options = [d for shift in shifts if (d := _valid(*_month_shift(today.year, today.month, shift), day)) is not None]
    options = [d for d in options if d <= today] if past else [d for d in options if d >= today - timedelta(days=15)]
    if not options:
        raise Refused(BAD_DATE)
    return options[-1] if past else options[0]


def _days(match: re.Match[str], today: date, past: bool = False) -> list[date]:
    """The days the text can mean, earliest first (today when no day is written)."""
    group = match.group
    if group("y"):
        found = _day(_number(group("y")), _number(group("ym")), _number(group("yd")))
    elif group("yrel"):
        found = _day(today.year + _YEAR_OFFSETS[group("yrel")], _number(group("yrm")), _number(group("yrd")))
    elif group("mrel"):
        found = _day(*_month_shift(today.year, today.month, _MONTH_OFFSETS[group("mrel")]), _number(group("mrd")))
    elif group("m"):
        found = _month_day(_number(group("m")), _number(group("md")), today, past)
    elif group("d"):
        found = _day_of_month(_number(group("d")), today, past)
    elif group("rel"):
        found = today + timedelta(days=_RELATIVE_DAYS[group("rel")])
    elif group("relpart"):
        found = today + timedelta(days=_RELATIVE_PARTS[group("relpart")][0])
    elif group("wd"):
        weekday = _weekday(group("wd"))
        if group("week") is None and past:
            return [today - timedelta(days=(today.weekday() - weekday) % 7)]
        if group("week") is None:
            ahead = (weekday - today.weekday()) % 7
            return [today, today + timedelta(days=7)] if ahead == 0 else [today + timedelta(days=ahead)]
        monday = today - timedelta(days=today.weekday())
        return [monday + timedelta(days=7 * _WEEK_OFFSETS[group("week")] + weekday)]
    else:
        return [today]
    note = group("note") or group("note2")
    if note and _weekday(note) != found.weekday():
        raise Refused(WEEKDAY_MISMATCH)
    return [found]


def _dated(match: re.Match[str]) -> bool:
    return any(match.group(name) for name in ("y", "yrel", "mrel", "m", "d", "rel", "relpart", "wd"))

