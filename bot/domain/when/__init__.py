"""Reading a date and time as Chinese speakers type them (pure, no I/O).

`read(text, now, tz)` takes what a secretary typed — "下周三下午两点半到四点半", "12月5日上午9点", "明天15:00",
"2026/12/5 9:30-11:30", "5号 两点一刻" — and returns either `Parsed` (one or more readings, each a start, an optional
end and whether it already lies in the past) or `Refusal` (a reason code that the templates word).

How the unclear cases are read (each rule says why):
- No date means today; a missing year is the coming date unless it lies more than half a year back (so January typed
  in November is next year's); a bare day of month ("5号") is this month's unless it lies more than 15 days back,
  then next month's. 下个月5号 / 本月5号 and 明年1月8日 / 今年3月1日 say the month or the year outright.
- What already happened (a meeting's minutes, a talk, a make-up done) is read with `past=True`: a missing year is
  the latest such day not after today, a bare "5号" the latest 5th, a weekday the latest such day.
- 周三/星期三 is the coming Wednesday; typed on a Wednesday it is ambiguous (today, or a week later). 本周三/这周三 is
  the Wednesday of this week (Monday first), 下周三 the one of next week, 上周三 of last week.
- An hour without 上午/下午: 0 and 13–23 are the 24-hour clock, a zero-padded hour ("09:00") is taken as written,
  7–12 is the morning or noon (office hours; an evening is written 晚上8点 or 20:00), and 1–6 is ambiguous: "3点" may
  be 03:00 or 15:00, so both readings are returned and the caller asks. A morning hour 7–11 typed for today after
  it has passed ("8点" in the afternoon) is read both ways too, so the caller can offer 20:00 instead of calling it
  past.
- A range's end without its own part of day is the first matching clock time after the start: "下午2:30-4:30" ends at
  16:30, "上午11点到1点" at 13:00, "9:00-11:00" at 11:00.
Numerals written in Chinese (十二月五日, 两点半, 二〇二六年) are read by cn2an.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.when.days import read_day, read_day_prefix, read_day_range, read_month, read_written_day
from bot.domain.when.grammar import (
    _DATE_ONLY,
    _LEADING,
    _TEXT,
    BAD_DATE,
    BAD_TIME,
    END_BEFORE_START,
    NO_TIME,
    PART_OF_DAY,
    UNREADABLE,
    WEEKDAY_MISMATCH,
    Refusal,
    Refused,
    _clock_readings,
    _dated,
    _days,
    _evening_too,
    _normalize,
)

__all__ = ["BAD_DATE", "BAD_TIME", "END_BEFORE_START", "NO_TIME", "PART_OF_DAY", "UNREADABLE", "WEEKDAY_MISMATCH",
           "Parsed", "Reading", "Refusal", "as_fields", "held", "read", "read_clock_range", "read_day",
           "read_day_prefix", "read_day_range", "read_month", "read_with_rest", "read_written_day", "upcoming",
           "with_default_end"]

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






# ---- the public functions -----------------------------------------------------------------------------------------

def read(text: str, now: datetime, tz: str | ZoneInfo, *, past: bool = False) -> Parsed | Refusal:
    """What `text` means, typed at `now` (aware) in a branch in time zone `tz`; see the module docstring. `past`:
    the text tells when something already happened (a year-less day is then the latest one not after today)."""
    cleaned = _normalize(text)
    match = _TEXT.match(cleaned)
    if not match:
        return Refusal(NO_TIME if cleaned and _DATE_ONLY.match(cleaned) else UNREADABLE)
    return _meaning(match, now, tz, past)


def read_with_rest(text: str, now: datetime, tz: str | ZoneInfo) -> tuple[Parsed | Refusal, str]:
    """A time followed by more ("下周四 15:00-17:00 村委会"): (the time as `read` reads it, the rest, e.g. the place).
    Text that is only a time gives an empty rest; text that does not begin with a time is read whole."""
    cleaned = _normalize(text)
    if (whole := _TEXT.match(cleaned)) is not None:
        return _meaning(whole, now, tz, False), ""
    leading = _LEADING.match(cleaned)
    rest = cleaned[leading.end():].strip(" ,，、;；") if leading else ""
    if leading is None or not rest:
        return read(cleaned, now, tz), ""
    return _meaning(leading, now, tz, False), rest


def _meaning(match: re.Match[str], now: datetime, tz: str | ZoneInfo, past: bool) -> Parsed | Refusal:
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    today = now.astimezone(zone).date()
    try:
        days = _days(match, today, past)
        clocks = _clock_readings(match)
        evening = _evening_too(match)
    except Refused as refused:
        return Refusal(refused.reason)
    except ValueError:  # a malformed Chinese numeral
        return Refusal(UNREADABLE)
    readings = []
    for day, (start_time, end_time) in itertools.product(days, clocks):
        start = datetime.combine(day, start_time, tzinfo=zone)
        end = datetime.combine(day, end_time, tzinfo=zone) if end_time else None
        readings.append(Reading(start, end, past=start <= now))
        if evening and not past and day == today and start <= now:
            later = _twelve_hours_on(readings[-1], now)
            readings += [later] if later is not None else []
    return Parsed(tuple(sorted(readings, key=lambda r: r.start)), dated=_dated(match))


def _twelve_hours_on(reading: Reading, now: datetime) -> Reading | None:
    """The evening reading of a morning time ("8点" → 20:00), if it stays on the same day."""
    start = reading.start + timedelta(hours=12)
    end = reading.end + timedelta(hours=12) if reading.end is not None else None
    if start.date() != reading.start.date() or (end is not None and end.date() != reading.start.date()):
        return None
    return Reading(start, end, past=start <= now)


def read_clock_range(text: str) -> tuple[time, time] | Refusal:
    """A daily time range without a day ("14:30-16:30", "下午2点半到4点半"), as the theme-day settings take it;
    an ambiguous range ("2:30-4:30") or a missing end is refused."""
    match = _TEXT.match(_normalize(text))
    if not match or _dated(match) or not match.group("h2"):
        return Refusal(UNREADABLE)
    try:
        readings = _clock_readings(match)
    except Refused as refused:
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

