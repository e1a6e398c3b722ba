"""Reading a date and time as Chinese speakers type them (pure, no I/O).

`read(text, now, tz)` takes what a secretary typed — "下周三下午两点半到四点半", "12月5日上午9点", "明天15:00",
"2026/12/5 9:30-11:30", "5号 两点一刻" — and returns either `Parsed` (one or more readings, each a start, an optional
end and whether it already lies in the past) or `Refusal` (a reason code that the templates word).

How the unclear cases are read (each rule says why):
- No date means today; a missing year is the coming date unless it lies more than half a year back (so January typed
  in November is next year's); a bare day of month ("5号") is this month's unless it lies more than 15 days back,
  then next month's.
- 周三/星期三 is the coming Wednesday; typed on a Wednesday it is ambiguous (today, or a week later). 本周三/这周三 is
  the Wednesday of this week (Monday first), 下周三 the one of next week, 上周三 of last week.
- An hour without 上午/下午: 0 and 13–23 are the 24-hour clock, a zero-padded hour ("09:00") is taken as written,
  7–12 is the morning or noon (office hours; an evening is written 晚上8点 or 20:00), and 1–6 is ambiguous: "3点" may
  be 03:00 or 15:00, so both readings are returned and the caller asks.
- A range's end without its own part of day is the first matching clock time after the start: "下午2:30-4:30" ends at
  16:30, "上午11点到1点" at 13:00, "9:00-11:00" at 11:00.
Numerals written in Chinese (十二月五日, 两点半, 二〇二六年) are read by cn2an.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import cn2an

# ---- results ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One way to read the text: local, time-zone aware start and end (None when no end was typed)."""

    start: datetime
    end: datetime | None
    past: bool  # the start is not after `now`


@dataclass(frozen=True)
class Parsed:
    readings: tuple[Reading, ...]  # in time order; more than one when the text is ambiguous
    dated: bool  # a day was written (not just a clock time)

    @property
    def ambiguous(self) -> bool:
        return len(self.readings) > 1

    @property
    def start(self) -> datetime:
        return self.readings[0].start

    @property
    def end(self) -> datetime | None:
        return self.readings[0].end

    @property
    def past(self) -> bool:
        return self.readings[0].past


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
    rf"|(?P<d>{_NUM}){_}[日号]"
    rf"|(?P<rel>{'|'.join(_RELATIVE_DAYS)})"
    rf"|(?P<relpart>{'|'.join(_RELATIVE_PARTS)})"
    rf"|(?P<week>{'|'.join(sorted(_WEEK_OFFSETS, key=len, reverse=True))})?{_}{_WEEK_WORD}(?P<wd>{_WEEKDAY}))"
)
_TEXT = re.compile(
    rf"^(?:{_DATE})?{_}(?P<part>{_PARTS})?{_}{_clock('')}"
    rf"(?:{_}(?:{_SEPARATORS}){_}(?P<part2>{_PARTS})?{_}{_clock('2')})?$"
)
_DATE_ONLY = re.compile(rf"^(?:{_DATE}){_}(?:{_PARTS})?$|^(?:{_PARTS})$")


def _normalize(text: str) -> str:
    """Full-width digits, colons, tildes and brackets become ASCII (NFKC); white space collapses to one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def _number(written: str) -> int:
    if written.isdigit():
        return int(written)
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


class _Refused(Exception):
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
        raise _Refused(BAD_TIME)
    marked = bool(group("colon") or group("dian"))
    literal = hour == 0 or hour >= 13 or (written.startswith("0") and len(written) == 2)
    return _Clock(hour, minute, literal, marked)


def _with_part(clock: _Clock, part: str) -> int:
    """The 24-hour hour of a clock time written with a part of day; _Refused when they do not fit."""
    hour = clock.hour
    if part in _AFTER_NOON and hour < 12 and not (part == "中午" and hour == 11):
        hour += 12
    if part == "凌晨" and hour == 12:
        hour = 0
    if hour not in _PART_HOURS[part]:
        raise _Refused(PART_OF_DAY)
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


def _clock_readings(match: re.Match[str]) -> list[tuple[time, time | None]]:
    """The (start, end) clock times the text can mean, earliest first."""
    start_clock = _read_clock(match, "")
    end_clock = _read_clock(match, "2") if match.group("h2") else None
    if not start_clock.marked and (end_clock is None or not end_clock.marked):
        raise _Refused(UNREADABLE)  # a bare number: "5", or "2到4" without 点
    part = match.group("part") or (_RELATIVE_PARTS[match.group("relpart")][1] if match.group("relpart") else None)
    readings: list[tuple[time, time | None]] = []
    for hour in _start_hours(start_clock, part):
        start = time(hour, start_clock.minute)
        if end_clock is None:
            readings.append((start, None))
        elif (end := _end_time(start, end_clock, match.group("part2"))) is not None:
            readings.append((start, end))
    if not readings:
        raise _Refused(END_BEFORE_START)
    return readings


# ---- days ---------------------------------------------------------------------------------------------------------

def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _Refused(BAD_DATE) from None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_after(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _days(match: re.Match[str], today: date) -> list[date]:
    """The days the text can mean, earliest first (today when no day is written)."""
    group = match.group
    if group("y"):
        found = _day(_number(group("y")), _number(group("ym")), _number(group("yd")))
    elif group("m"):
        month, day = _number(group("m")), _number(group("md"))
        candidates = [_valid(year, month, day) for year in (today.year, today.year + 1)]
        options = [d for d in candidates if d is not None and d >= today - timedelta(days=183)]
        if not options:
            raise _Refused(BAD_DATE)
        found = options[0]
    elif group("d"):
        day = _number(group("d"))
        months = [(today.year, today.month), _month_after(today.year, today.month)]
        candidates = [_valid(year, month, day) for year, month in months]
        options = [d for d in candidates if d is not None and d >= today - timedelta(days=15)]
        if not options:
            raise _Refused(BAD_DATE)
        found = options[0]
    elif group("rel"):
        found = today + timedelta(days=_RELATIVE_DAYS[group("rel")])
    elif group("relpart"):
        found = today + timedelta(days=_RELATIVE_PARTS[group("relpart")][0])
    elif group("wd"):
        weekday = _weekday(group("wd"))
        if group("week") is None:
            ahead = (weekday - today.weekday()) % 7
            return [today, today + timedelta(days=7)] if ahead == 0 else [today + timedelta(days=ahead)]
        monday = today - timedelta(days=today.weekday())
        return [monday + timedelta(days=7 * _WEEK_OFFSETS[group("week")] + weekday)]
    else:
        return [today]
    note = group("note") or group("note2")
    if note and _weekday(note) != found.weekday():
        raise _Refused(WEEKDAY_MISMATCH)
    return [found]


def _dated(match: re.Match[str]) -> bool:
    return any(match.group(name) for name in ("y", "m", "d", "rel", "relpart", "wd"))


# ---- the public functions -----------------------------------------------------------------------------------------

def read(text: str, now: datetime, tz: str | ZoneInfo) -> Parsed | Refusal:
    """What `text` means, typed at `now` (aware) in a branch in time zone `tz`; see the module docstring."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    cleaned = _normalize(text)
    match = _TEXT.match(cleaned)
    if not match:
        return Refusal(NO_TIME if cleaned and _DATE_ONLY.match(cleaned) else UNREADABLE)
    try:
        days = _days(match, now.astimezone(zone).date())
        clocks = _clock_readings(match)
    except _Refused as refused:
        return Refusal(refused.reason)
    except ValueError:  # a malformed Chinese numeral
        return Refusal(UNREADABLE)
    readings = []
    for day, (start_time, end_time) in itertools.product(days, clocks):
        start = datetime.combine(day, start_time, tzinfo=zone)
        end = datetime.combine(day, end_time, tzinfo=zone) if end_time else None
        readings.append(Reading(start, end, past=start <= now))
    return Parsed(tuple(sorted(readings, key=lambda r: r.start)), dated=_dated(match))


def read_clock_range(text: str) -> tuple[time, time] | Refusal:
    """A daily time range without a day ("14:30-16:30", "下午2点半到4点半"), as the theme-day settings take it;
    an ambiguous range ("2:30-4:30") or a missing end is refused."""
    match = _TEXT.match(_normalize(text))
    if not match or _dated(match) or not match.group("h2"):
        return Refusal(UNREADABLE)
    try:
        readings = _clock_readings(match)
    except _Refused as refused:
        return Refusal(refused.reason)
    except ValueError:
        return Refusal(UNREADABLE)
    if len(readings) > 1:
        return Refusal(UNREADABLE)
    start, end = readings[0]
    return start, end  # type: ignore[return-value]  # an end was typed, so it is set


def with_default_end(reading: Reading, hours: int = 2) -> Reading:
    """A reading without an end lasts `hours`, stopping at 23:59 of its day."""
    if reading.end is not None:
        return reading
    last = reading.start.replace(hour=23, minute=59)
    return Reading(reading.start, min(reading.start + timedelta(hours=hours), last), reading.past)


def upcoming(parsed: Parsed, default_hours: int = 2) -> list[Reading]:
    """The readings still to come, each with an end (scheduling a meeting: a past reading is no choice)."""
    return [with_default_end(r, default_hours) for r in parsed.readings if not r.past]


def held(parsed: Parsed, default_hours: int = 2) -> list[Reading]:
    """The readings already begun, each with an end (the minutes of a meeting that took place)."""
    return [with_default_end(r, default_hours) for r in parsed.readings if r.past]


def as_fields(reading: Reading) -> dict[str, str]:
    """The local day and clock times of a reading with an end, as text a saved form keeps
    ({"day": "2026-12-02", "start": "14:30", "end": "16:30"})."""
    assert reading.end is not None
    return {"day": reading.start.date().isoformat(), "start": reading.start.strftime("%H:%M"),
            "end": reading.end.strftime("%H:%M")}

