"""One date reader everywhere (bot/domain/when), property-tested: a day that does not exist is refused by every place
that reads a typed or filed date, and the month- and year-relative forms and a time followed by its place read back
to what was meant."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import cn2an
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain import when
from bot.domain.holiday_notice import Problem, parse_rows
from bot.domain.makeup import BadRecord, read_record
from bot.domain.roster import read_date
from bot.domain.talks import TalkLineError, read_talk_line

TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 Nov 2026, 10:00 in Shanghai
TODAY = NOW.astimezone(ZONE).date()


def _never(month: int, day: int) -> bool:
    """No year has this day (29 February exists in leap years, so it is not drawn)."""
    return not 1 <= month <= 12 or day > (29 if month == 2 else calendar.monthrange(2023, month)[1])


impossible = st.tuples(st.integers(1, 19), st.integers(1, 40)).filter(lambda md: _never(*md))


def _spellings(month: int, day: int) -> list[str]:
    return [f"{month}月{day}日", f"{month}月{day}号", f"{cn2an.an2cn(month)}月{cn2an.an2cn(day)}日",
            f"2026年{month}月{day}日", f"2026-{month:02d}-{day:02d}", f"{month}/{day}"]


@settings(deadline=None, database=None, max_examples=150)
@given(impossible)
def test_a_day_that_does_not_exist_is_refused_everywhere(month_day):
    """"12月40日", "2月30日", "13月1日" in any spelling: every reader says there is no such day — a meeting's time (to
    come or held), a place after the time, a day, a range, a talk line, a make-up line — and the file readers (a
    roster cell, a holiday table row) refuse it too. Nothing takes it as words or as another day."""
    month, day = month_day
    bad = when.Refusal(when.BAD_DATE)
    for text in _spellings(month, day):
        assert when.read(f"{text} 9点", NOW, TZ) == bad, text
        assert when.read(f"{text} 9点", NOW, TZ, past=True) == bad, text
        assert when.read_with_rest(f"{text} 15:00-17:00 村委会", NOW, TZ)[0] == bad, text
        assert when.read_day(text, TODAY) == bad, text
        assert when.read_day(text, TODAY, past=True) == bad, text
        assert when.read_day_prefix(f"{text} 自学党章", TODAY) == bad, text
        assert when.read_day_range(f"{text}到2027年3月1日", TODAY) == bad, text
        with pytest.raises(TalkLineError, match="bad_date"):
            read_talk_line(f"{text}，工作和思想情况", NOW, TZ)
        with pytest.raises(BadRecord, match="bad_date"):
            read_record(f"{text} 自学党章总纲", TODAY)
    written = f"2026-{month:02d}-{day:02d}"
    assert when.read_written_day(written) == bad
    assert read_date(written) is None
    found = parse_rows([(2, (written, "放假"))])
    assert getattr(found, "problem", None) is Problem.BAD_DATE


@settings(deadline=None, database=None, max_examples=150)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)), st.integers(1, 31),
       st.integers(7, 11))
def test_next_months_day_reads_back(moment, day, hour):
    """"下个月N号下午H点" / "下月N号 H:00" is day N of the month after now's, whenever typed; a day that month does
    not have is refused."""
    now = moment.replace(tzinfo=ZONE)
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    texts = [f"下个月{day}号下午{hour - 6}点", f"下月{day}号 {hour + 6}:00", f"下个月{cn2an.an2cn(day)}号下午{hour - 6}点"]
    if day > calendar.monthrange(year, month)[1]:
        assert all(when.read(t, now, TZ) == when.Refusal(when.BAD_DATE) for t in texts)
        return
    for text in texts:
        result = when.read(text, now, TZ)
        assert isinstance(result, when.Parsed) and not result.ambiguous, text
        assert result.start == datetime(year, month, day, hour + 6, tzinfo=ZONE), text


@settings(deadline=None, database=None, max_examples=150)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
       st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)), st.integers(7, 11))
def test_next_years_day_reads_back(moment, day, hour):
    """"明年M月D日上午H点" is that day of the year after now's (29 February only in a leap year)."""
    now = moment.replace(tzinfo=ZONE)
    try:
        meant = datetime(now.year + 1, day.month, day.day, hour, tzinfo=ZONE)
    except ValueError:
        assert when.read(f"明年{day.month}月{day.day}日上午{hour}点", now, TZ) == when.Refusal(when.BAD_DATE)
        return
    for text in (f"明年{day.month}月{day.day}日上午{hour}点", f"明年{cn2an.an2cn(day.month)}月{cn2an.an2cn(day.day)}号 {hour}:00"):
        result = when.read(text, now, TZ)
        assert isinstance(result, when.Parsed) and result.readings[0].start == meant, text


places = st.sampled_from(["村委会", "党员活动室", "三楼会议室", "社区服务中心", "镇政府二楼小会议室", "村委会党员活动室"])


@settings(deadline=None, database=None, max_examples=150)
@given(st.datetimes(min_value=datetime(2026, 11, 23, 10, 1), max_value=datetime(2027, 5, 20, 21, 0)),
       st.integers(30, 120), places, st.sampled_from([" ", "，", ", ", "、", ""]))
def test_a_time_and_a_place_in_one_message(moment, minutes, place, separator):
    """Any coming time and end, written "M月D日 HH:MM-HH:MM" then the place (after a space, a comma or straight on):
    the time reads back whole and the rest is exactly the place."""
    start = moment.replace(second=0, microsecond=0, tzinfo=ZONE)
    end = start + timedelta(minutes=minutes)
    assume(end.date() == start.date())
    text = f"{start.month}月{start.day}日 {start:%H:%M}-{end:%H:%M}{separator}{place}"
    result, rest = when.read_with_rest(text, NOW, TZ)
    assert isinstance(result, when.Parsed) and not result.ambiguous, text
    assert (result.start, result.end, rest) == (start, end, place), text


@settings(deadline=None, database=None, max_examples=150)
@given(st.integers(12 * 60, 23 * 60 + 59), st.integers(7, 11), st.sampled_from([0, 15, 30, 45]))
def test_a_morning_hour_typed_after_it_passed_offers_the_evening(now_minute, hour, minute):
    """Typed in the afternoon or evening, "H点M分" (H 7–11, no part of day) reads as today's morning time, already
    past, and today's evening time H+12, offered as still to come whenever it is."""
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=ZONE) + timedelta(minutes=now_minute)
    text = f"{hour}点" + (f"{minute}分" if minute else "")
    result = when.read(text, now, TZ)
    evening = datetime(TODAY.year, TODAY.month, TODAY.day, hour + 12, minute, tzinfo=ZONE)
    assert isinstance(result, when.Parsed)
    assert [r.start for r in result.readings] == [evening - timedelta(hours=12), evening]
    assert result.readings[0].past and result.readings[1].past == (evening <= now)
    assert [r.start for r in when.upcoming(result)] == ([evening] if evening > now else [])
