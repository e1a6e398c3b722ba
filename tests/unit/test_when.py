"""Reading typed dates and times (bot/domain/when) the ways Chinese speakers write them, for a fixed `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import when
from bot.domain.when import Parsed, Refusal, read, read_clock_range, with_default_end

TZ = "Asia/Shanghai"
ZONE = ZoneInfo(TZ)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 23 Nov 2026, 10:00 in Shanghai
WEDNESDAY = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 25 Nov 2026, 10:00 in Shanghai


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def readings(result: Parsed | Refusal) -> list[tuple[str, str | None]]:
    assert isinstance(result, Parsed), result
    return [(r.start.strftime("%Y-%m-%d %H:%M"), r.end.strftime("%H:%M") if r.end else None)
            for r in result.readings]


TABLE = [
    # the forms the old parser took
    ("12月10日 14:30-16:30", "2026-12-10 14:30", "16:30"),
    ("2027-01-05 9:00至11:00", "2027-01-05 09:00", "11:00"),
    ("12/10 14：30—16：30", "2026-12-10 14:30", "16:30"),
    ("1月5日 09:00-11:00", "2027-01-05 09:00", "11:00"),
    # absolute dates
    ("2026-12-05 9:30", "2026-12-05 09:30", None),
    ("2026/12/5 9:30", "2026-12-05 09:30", None),
    ("2026.12.5 9:30", "2026-12-05 09:30", None),
    ("2026年12月5日 9:30", "2026-12-05 09:30", None),
    ("二〇二六年十二月五日 九点", "2026-12-05 09:00", None),
    ("12月5日 14:00", "2026-12-05 14:00", None),
    ("12月5号 14点", "2026-12-05 14:00", None),
    ("十二月五日 十四点", "2026-12-05 14:00", None),
    ("12月5日上午9点", "2026-12-05 09:00", None),
    ("12月5日（星期六）9:00", "2026-12-05 09:00", None),
    ("5号 9点", "2026-12-05 09:00", None),  # the 5th of this month is more than 15 days back: next month's
    ("20号 9点", "2026-11-20 09:00", None),  # three days back: this month's (flagged past)
    ("3月1日 9点", "2027-03-01 09:00", None),
    # the month or the year said outright
    ("下个月5号下午3点", "2026-12-05 15:00", None),
    ("下月5号 15:00", "2026-12-05 15:00", None),
    ("本月30号上午9点", "2026-11-30 09:00", None),
    ("下个月三十一号 9点", "2026-12-31 09:00", None),
    ("明年1月8日上午9点", "2027-01-08 09:00", None),
    ("明年一月八日 9:00", "2027-01-08 09:00", None),
    ("今年12月5日 14:00", "2026-12-05 14:00", None),
    # relative days
    ("今天下午3点", "2026-11-23 15:00", None),
    ("明天下午3点", "2026-11-24 15:00", None),
    ("明天 15:00", "2026-11-24 15:00", None),
    ("后天上午10点", "2026-11-25 10:00", None),
    ("大后天9点", "2026-11-26 09:00", None),
    ("昨天下午3点", "2026-11-22 15:00", None),
    ("今晚8点", "2026-11-23 20:00", None),
    ("明早8点半", "2026-11-24 08:30", None),
    # weekdays
    ("周三下午两点半", "2026-11-25 14:30", None),
    ("星期三 14:30", "2026-11-25 14:30", None),
    ("本周三下午2点", "2026-11-25 14:00", None),
    ("这周五 9:00", "2026-11-27 09:00", None),
    ("下周三下午两点半", "2026-12-02 14:30", None),
    ("下星期三 下午2:30", "2026-12-02 14:30", None),
    ("下礼拜三下午2点半", "2026-12-02 14:30", None),
    ("下个星期一 9点", "2026-11-30 09:00", None),
    ("下周日上午9点", "2026-12-06 09:00", None),
    ("周日 9点", "2026-11-29 09:00", None),
    ("上周五 10:00", "2026-11-20 10:00", None),
    # parts of day and clock times
    ("早上8点", "2026-11-23 08:00", None),
    ("中午12点", "2026-11-23 12:00", None),
    ("中午1点", "2026-11-23 13:00", None),
    ("傍晚6点", "2026-11-23 18:00", None),
    ("晚上7点半", "2026-11-23 19:30", None),
    ("凌晨5点", "2026-11-23 05:00", None),
    ("11点半", "2026-11-23 11:30", None),
    ("11点30", "2026-11-23 11:30", None),
    ("11点30分", "2026-11-23 11:30", None),
    ("十一点半", "2026-11-23 11:30", None),
    ("十点零五分", "2026-11-23 10:05", None),
    ("下午两点一刻", "2026-11-23 14:15", None),
    ("下午三点三刻", "2026-11-23 15:45", None),
    ("14:30", "2026-11-23 14:30", None),
    ("14点", "2026-11-23 14:00", None),
    ("09:00", "2026-11-23 09:00", None),
    ("11点", "2026-11-23 11:00", None),
    ("12点", "2026-11-23 12:00", None),
    ("下午14:30", "2026-11-23 14:30", None),
    # ranges: the end inherits the part of day, or is the first matching time after the start
    ("下午2:30-4:30", "2026-11-23 14:30", "16:30"),
    ("下午2点半到4点半", "2026-11-23 14:30", "16:30"),
    ("下午2到4点", "2026-11-23 14:00", "16:00"),
    ("上午9点~11点", "2026-11-23 09:00", "11:00"),
    ("上午11点到下午1点", "2026-11-23 11:00", "13:00"),
    ("上午11点到1点", "2026-11-23 11:00", "13:00"),
    ("9点至12点", "2026-11-23 09:00", "12:00"),
    ("下周三下午两点半到四点半", "2026-12-02 14:30", "16:30"),
    ("12月5日 14:30 ～ 16:30", "2026-12-05 14:30", "16:30"),
    # full-width digits, colons and spaces
    ("１２月５日　１４：３０－１６：３０", "2026-12-05 14:30", "16:30"),
    ("  明天   下午  3 点  ", "2026-11-24 15:00", None),
]


@pytest.mark.parametrize("text, start, end", TABLE)
def test_reads_what_people_type(text, start, end):
    """Each phrasing reads as exactly one start (and end when typed), at 10:00 on Monday 23 Nov 2026."""
    result = read(text, NOW, TZ)
    assert readings(result) == [(start, end)]
    assert result.start.tzinfo is not None and not result.ambiguous


def test_the_table_is_large_enough():
    """The table covers at least 40 phrasings."""
    assert len(TABLE) >= 40


@pytest.mark.parametrize("text, reason", [
    ("开会", when.UNREADABLE),
    ("asdf", when.UNREADABLE),
    ("", when.UNREADABLE),
    ("5", when.UNREADABLE),  # a bare number is not a time
    ("13月1日 10:00", when.BAD_DATE),
    ("2月30日 10:00", when.BAD_DATE),
    ("2026-02-29 10:00", when.BAD_DATE),
    ("32号 9点", when.BAD_DATE),
    ("12月40日 9点", when.BAD_DATE),
    ("十二月四十日 九点", when.BAD_DATE),
    ("明年2月29日 9点", when.BAD_DATE),
    ("本月31号 9点", when.BAD_DATE),  # November has no 31st
    ("25点", when.BAD_TIME),
    ("12月10日 25:00", when.BAD_TIME),
    ("9点70分", when.BAD_TIME),
    ("明天下午", when.NO_TIME),
    ("12月5日", when.NO_TIME),
    ("下午", when.NO_TIME),
    ("上午14点", when.PART_OF_DAY),
    ("晚上3点", when.PART_OF_DAY),
    ("12月5日（星期三）9点", when.WEEKDAY_MISMATCH),
    ("12月10日 16:00-15:00", when.END_BEFORE_START),
    ("下午4点到下午2点", when.END_BEFORE_START),
])
def test_refuses_with_a_reason(text, reason):
    """Nonsense, impossible days and hours, a day without a time, contradictions: refused, saying why."""
    assert read(text, NOW, TZ) == Refusal(reason)


def test_an_hour_without_part_of_day_is_ambiguous():
    """"3点" may be 03:00 or 15:00: both readings, in time order; 03:00 today has already passed."""
    result = read("3点", NOW, TZ)
    assert result.ambiguous
    assert [(r.start, r.past) for r in result.readings] == [(local("2026-11-23 03:00"), True),
                                                            (local("2026-11-23 15:00"), False)]


AFTERNOON = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 15:00 in Shanghai


def test_a_morning_hour_already_past_today_is_offered_in_the_evening():
    """"8点" typed at 15:00: 08:00 has passed, so 20:00 is offered beside it; a range moves whole; an hour written
    with its part of day, zero-padded or for another day is not doubled, nor is a time read as already held."""
    assert [(r.start, r.past) for r in read("8点", AFTERNOON, TZ).readings] == [(local("2026-11-23 08:00"), True),
                                                                                (local("2026-11-23 20:00"), False)]
    assert readings(read("8点-10点", AFTERNOON, TZ)) == [("2026-11-23 08:00", "10:00"), ("2026-11-23 20:00", "22:00")]
    assert readings(read("今天8点半", AFTERNOON, TZ)) == [("2026-11-23 08:30", None), ("2026-11-23 20:30", None)]
    for single in ("上午8点", "08:00", "明天8点", "16点", "12点"):
        assert not read(single, AFTERNOON, TZ).ambiguous, single
    assert readings(read("8点", AFTERNOON, TZ, past=True)) == [("2026-11-23 08:00", None)]
    assert readings(read("11点", NOW, TZ)) == [("2026-11-23 11:00", None)]  # still to come at 10:00: as written


def test_a_time_with_the_place_after_it():
    """"下周四 15:00-17:00 村委会": the time, and the rest (the place); a time alone leaves no rest; a place with no
    time before it is read whole (and refused)."""
    result, rest = when.read_with_rest("下周四 15:00-17:00 村委会", NOW, TZ)
    assert readings(result) == [("2026-12-03 15:00", "17:00")] and rest == "村委会"
    result, rest = when.read_with_rest("明天下午3点，村委会会议室", NOW, TZ)
    assert readings(result) == [("2026-11-24 15:00", None)] and rest == "村委会会议室"
    result, rest = when.read_with_rest("12月5日14:30-16:30党员活动室", NOW, TZ)
    assert readings(result) == [("2026-12-05 14:30", "16:30")] and rest == "党员活动室"
    assert when.read_with_rest("下周四 15:00-17:00", NOW, TZ)[1] == ""
    assert when.read_with_rest("村委会", NOW, TZ) == (Refusal(when.UNREADABLE), "")


def test_what_already_happened_is_the_latest_such_day():
    """With past=True a year-less day is the latest one not after today, this year or in the last half year:
    "12月28日" typed in January is last December's, "5号" the latest 5th, "周五" the latest Friday (coming ones
    otherwise); "12月30日" typed in November is the coming one (not yet happened), not the one eleven months back."""
    january = datetime(2027, 1, 5, 2, 0, tzinfo=UTC)
    assert readings(read("12月28日 9点", january, TZ, past=True)) == [("2026-12-28 09:00", None)]
    assert readings(read("12月28日 9点", january, TZ)) == [("2027-12-28 09:00", None)]
    assert readings(read("5号 9点", NOW, TZ, past=True)) == [("2026-11-05 09:00", None)]
    assert readings(read("周五 9点", NOW, TZ, past=True)) == [("2026-11-20 09:00", None)]
    assert readings(read("12月30日 9点", NOW, TZ, past=True)) == [("2026-12-30 09:00", None)]


def test_days_lines_and_months():
    """The day-only readers share the grammar: a line opened by a day, a written cell, a month."""
    today = date(2026, 12, 3)
    assert when.read_day_prefix("3月5日，工作和思想情况", today) == (date(2026, 3, 5), "工作和思想情况")
    assert when.read_day_prefix("11月28日 自学党章总纲", today) == (date(2026, 11, 28), "自学党章总纲")
    # not done yet: the coming 12月8日 (the caller refuses it), not the one a year back
    assert when.read_day_prefix("12月8日 自学", today) == (date(2026, 12, 8), "自学")
    assert when.read_day_prefix("5号楼会议室谈话", today) == (None, "5号楼会议室谈话")
    assert when.read_day_prefix("工作情况", today) == (None, "工作情况")
    assert when.read_day_prefix("12月40日，工作", today) == Refusal(when.BAD_DATE)
    assert when.read_day("下个月5号", today) == date(2027, 1, 5)
    assert when.read_written_day("2027/1/8") == date(2027, 1, 8)
    assert when.read_written_day("明天") == Refusal(when.UNREADABLE)
    assert when.read_written_day("2027-02-30") == Refusal(when.BAD_DATE)
    for text, month in (("12", (2026, 12)), ("11月", (2026, 11)), ("1", (2026, 1)), ("2025年12月", (2025, 12)),
                        ("上个月", (2026, 11)), ("明年1月", (2027, 1)), ("2026-12", (2026, 12))):
        assert when.read_month(text, today) == month, text
    assert isinstance(when.read_month("13月", today), Refusal) and isinstance(when.read_month("开会", today), Refusal)


def test_an_ambiguous_range_moves_its_end_with_its_start():
    """"12月3日 2:30-4:30" is 02:30–04:30 or 14:30–16:30."""
    assert readings(read("12月3日 2:30-4:30", NOW, TZ)) == [("2026-12-03 02:30", "04:30"),
                                                          ("2026-12-03 14:30", "16:30")]


def test_todays_weekday_is_ambiguous():
    """On a Wednesday, "周三 15:00" is today or next week; "下周三" and "本周三" are not ambiguous."""
    assert readings(read("周三 15:00", WEDNESDAY, TZ)) == [("2026-11-25 15:00", None), ("2026-12-02 15:00", None)]
    assert readings(read("下周三 15:00", WEDNESDAY, TZ)) == [("2026-12-02 15:00", None)]
    assert readings(read("本周三 15:00", WEDNESDAY, TZ)) == [("2026-11-25 15:00", None)]


def test_both_ambiguities_multiply():
    """"周三3点" on a Wednesday: two days times two hours."""
    assert len(read("周三3点", WEDNESDAY, TZ).readings) == 4


def test_times_in_the_past_are_flagged():
    """Today 9点 when it is already 10:00 is past; 10:00 itself is past (not after now); 10:01 is not."""
    assert read("9点", NOW, TZ).past
    assert read("10:00", NOW, TZ).past
    assert not read("10:01", NOW, TZ).past
    assert read("2026-11-01 14:30", NOW, TZ).past


def test_the_day_is_the_local_day_of_now():
    """At 23:30 UTC on Monday it is already Tuesday in Shanghai: 明天 is Wednesday there."""
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert readings(read("明天9点", late, TZ)) == [("2026-11-25 09:00", None)]


def test_dated_says_whether_a_day_was_written():
    """A bare clock time is today's but not dated; any written day is."""
    assert not read("15:00", NOW, TZ).dated
    assert read("明天15:00", NOW, TZ).dated and read("周五15:00", NOW, TZ).dated


def test_default_end_is_two_hours_capped_at_the_end_of_the_day():
    """No end typed: two hours later, but never past 23:59 of the same day."""
    assert with_default_end(read("14:30", NOW, TZ).readings[0]).end == local("2026-11-23 16:30")
    assert with_default_end(read("22:30", NOW, TZ).readings[0]).end == local("2026-11-23 23:59")
    typed = read("14:30-15:00", NOW, TZ).readings[0]
    assert with_default_end(typed) is typed


def test_clock_range_for_daily_settings():
    """The theme day's time: a range without a day; a missing end, a day or an ambiguous range is refused."""
    assert read_clock_range("下午2点半到4点半") == (time(14, 30), time(16, 30))
    assert read_clock_range("8：30至11：00") == (time(8, 30), time(11, 0))
    for bad in ("14:30", "明天14:30-16:30", "2:30-4:30", "16:30-14:30", "两点半"):
        assert isinstance(read_clock_range(bad), Refusal), bad


# ---- property: what is written back reads back ----------------------------------------------------------------

TODAY = NOW.astimezone(ZONE).date()


def part_of_day(hour: int) -> tuple[str, int]:
    """The part of day and the 12-hour clock hour people would say."""
    if hour < 6:
        return "凌晨", hour
    if hour < 12:
        return "上午", hour
    if hour == 12:
        return "中午", 12
    if hour < 19:
        return "下午", hour - 12
    return "晚上", hour - 12


def chinese_minutes(minute: int) -> str:
    if minute == 0:
        return ""
    if minute == 30:
        return "半"
    return cn2an.an2cn(minute) + "分" if minute >= 10 else "零" + cn2an.an2cn(minute) + "分"


def spellings(moment: datetime) -> list[str]:
    part, hour12 = part_of_day(moment.hour)
    y, m, d, hh, mm = moment.year, moment.month, moment.day, moment.hour, moment.minute
    iso = f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}"
    return [
        iso,
        f"{y}/{m}/{d} {hh if hh >= 7 else f'{hh:02d}'}:{mm:02d}",  # an unpadded 1:00–6:59 would be ambiguous
        f"{y}年{m}月{d}日 {hh:02d}:{mm:02d}",
        f"{m}月{d}号{part}{hour12}点{mm}分",
        f"{cn2an.an2cn(m)}月{cn2an.an2cn(d)}日{part}{cn2an.an2cn(hour12)}点{chinese_minutes(mm)}",
        iso.translate(str.maketrans("0123456789:- ", "０１２３４５６７８９：－　")),
    ]


@settings(deadline=None, database=None, max_examples=200)
@given(st.datetimes(min_value=datetime(2026, 11, 23, 10, 1), max_value=datetime(2027, 5, 20, 23, 59)))
def test_written_datetimes_read_back(moment):
    """Any future minute in the coming half year, written in six common ways, reads back to itself, unambiguous."""
    moment = moment.replace(second=0, microsecond=0, tzinfo=ZONE)
    for text in spellings(moment):
        result = read(text, NOW, TZ)
        assert isinstance(result, Parsed) and not result.ambiguous, text
        assert result.start == moment and not result.past, text


@settings(deadline=None, database=None, max_examples=100)
@given(st.integers(min_value=1, max_value=13), st.integers(min_value=0, max_value=23),
       st.sampled_from([0, 15, 30, 45]))
def test_relative_days_read_back(ahead, hour, minute):
    """A day in the next two weeks written as 明天/后天/大后天 or 本周/下周 + weekday reads back to that day."""
    day = TODAY + timedelta(days=ahead)
    part, hour12 = part_of_day(hour)
    clock = f"{part}{hour12}点" + {0: "", 15: "一刻", 30: "半", 45: "三刻"}[minute]
    words = {1: "明天", 2: "后天", 3: "大后天"}
    week = "本周" if day.isocalendar().week == TODAY.isocalendar().week else "下周"
    texts = [f"{week}{'一二三四五六日'[day.weekday()]}{clock}", f"{week.replace('周', '星期')}{day.weekday() + 1}{clock}"]
    if ahead in words:
        texts.append(words[ahead] + clock)
    for text in texts:
        assert readings(read(text, NOW, TZ)) == [(f"{day} {hour:02d}:{minute:02d}", None)], text


def test_weekday_digits_are_monday_first():
    """星期7 is Sunday; 星期1 Monday."""
    assert read("下星期7 9点", NOW, TZ).start.date() == date(2026, 12, 6)
    assert read("下星期1 9点", NOW, TZ).start.date() == date(2026, 11, 30)
