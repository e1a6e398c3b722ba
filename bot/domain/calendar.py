"""The theme day's calendar rule: "the n-th weekday of the month" or "day d of the month" (pure, no I/O).

A branch's rule is stored as a `ThemeDayRule`; `occurrence(rule, year, month)` is that month's date and
`parse_rule` reads what a secretary types ("第一个星期四", "每月5日", "最后一个星期五").
"""

from __future__ import annotations

import calendar
import re
from datetime import date, time

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.domain.dates import WEEKDAYS, day_named, weekday_named
from bot.domain.when import Refusal, read_clock_range

ORDINALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "最后一": -1, "最后": -1}
ORDINAL_LABELS = {1: "第一个", 2: "第二个", 3: "第三个", 4: "第四个", -1: "最后一个"}


class ThemeDayRule(BaseModel):
    """When a branch holds its monthly theme day; every field has the county default (seed 000)."""

    model_config = ConfigDict(extra="ignore")

    mode: str = Field(default="weekday", pattern="^(weekday|monthday)$")
    nth: int = Field(default=1)  # 1..4, or -1 for the last such weekday
    weekday: int = Field(default=3, ge=0, le=6)  # Thursday
    day: int = Field(default=5, ge=1, le=31)  # for mode "monthday"; a short month uses its last day
    start: str = "09:00"
    end: str = "11:00"
    # How "the first week" is read (a unit's policy, never stored with the branch): False, the first such weekday
    # of the month (a week begun last month counts); True, that weekday of the first week begun in the month.
    full_weeks: bool = Field(default=False, exclude=True)

    @model_validator(mode="after")
    def _check(self) -> ThemeDayRule:
        if self.nth not in (1, 2, 3, 4, -1):
            raise ValueError("nth must be 1..4 or -1")
        if parse_hhmm(self.start) >= parse_hhmm(self.end):
            raise ValueError("the end must be after the start")
        return self

    @property
    def label(self) -> str:
        if self.mode == "monthday":
            return f"每月{day_named(self.day)}"
        if self.full_weeks and self.nth > 0:
            return f"每月第{ORDINAL_LABELS[self.nth][1]}个完整周的{weekday_named(self.weekday)}"
        return f"每月{ORDINAL_LABELS[self.nth]}{weekday_named(self.weekday)}"


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def occurrence(rule: ThemeDayRule, year: int, month: int) -> date:
    """The theme day of that month."""
    days_in_month = calendar.monthrange(year, month)[1]
    if rule.mode == "monthday":
        return date(year, month, min(rule.day, days_in_month))
    if rule.nth > 0 and rule.full_weeks:  # the n-th week that begins (on a Monday) in the month
        monday = 1 + (0 - date(year, month, 1).weekday()) % 7
        day = monday + 7 * (rule.nth - 1) + rule.weekday
        if day <= days_in_month:
            return date(year, month, day)
        return occurrence(rule.model_copy(update={"nth": -1}), year, month)  # a 4th full week past the month's end
    if rule.nth > 0:
        first = date(year, month, 1)
        offset = (rule.weekday - first.weekday()) % 7
        return date(year, month, 1 + offset + 7 * (rule.nth - 1))
    last = date(year, month, days_in_month)
    return date(year, month, days_in_month - (last.weekday() - rule.weekday) % 7)


def next_months(today: date, count: int) -> list[tuple[int, int]]:
    """(year, month) of this month and the `count - 1` after it."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


_WEEKDAY_RULE = re.compile(r"^(?:每月)?(?:的)?第?(最后一|最后|[一二三四1-4])个?(?:星期|周|礼拜)([一二三四五六日天1-7])$")
_MONTHDAY_RULE = re.compile(r"^(?:每月)?(?:的)?([0-9]{1,2})(?:日|号)?$")
_CN_WEEKDAY = {**{c: i for i, c in enumerate(WEEKDAYS)}, "天": 6, **{str(i + 1): i for i in range(7)}}


def parse_rule(text: str, base: ThemeDayRule) -> ThemeDayRule:
    """A typed rule ("第一个星期四", "每月最后一个周五", "每月5日", "5号"), keeping the times; ValueError if unclear."""
    cleaned = re.sub(r"\s+", "", text or "")
    if match := _WEEKDAY_RULE.match(cleaned):
        return base.model_copy(update={"mode": "weekday", "nth": ORDINALS[match.group(1)],
                                       "weekday": _CN_WEEKDAY[match.group(2)]})
    if match := _MONTHDAY_RULE.match(cleaned):
        day = int(match.group(1))
        if 1 <= day <= 31:
            return base.model_copy(update={"mode": "monthday", "day": day})
    raise ValueError(text)


def parse_time_range(text: str, base: ThemeDayRule) -> ThemeDayRule:
    """'14:30-16:30', '下午2点半到4点半', '8：30至11：00' (bot.domain.when reads it); ValueError if unclear, ambiguous
    ('2:30-4:30') or the end is not after the start."""
    result = read_clock_range(text)
    if isinstance(result, Refusal):
        raise ValueError(text)
    start, end = result
    return type(base).model_validate({**base.model_dump(), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"})


class ThemeDaySettings(ThemeDayRule):
    """A branch's theme-day options: the rule plus place, how early it is created, the check-in window,
    the make-up deadline and the optional venue for the location check."""

    place: str | None = None
    lead_days: int = Field(default=10, ge=1, le=28)
    checkin_before_min: int = Field(default=30, ge=0, le=240)
    makeup_days: int = Field(default=7, ge=1, le=60)
    venue_lat: float | None = Field(default=None, ge=-90, le=90)
    venue_lon: float | None = Field(default=None, ge=-180, le=180)
    venue_radius_m: int = Field(default=300, ge=20, le=5000)
