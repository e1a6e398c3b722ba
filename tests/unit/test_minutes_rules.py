"""Minutes rules: working days and the deadline, reading typed times, the form's order."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.minutes import (
    MeetingRules,
    add_working_days,
    is_overdue,
    is_working_day,
    minutes_deadline,
    next_step,
    parse_when,
)

TZ = "Asia/Shanghai"


def test_working_days_skip_weekends_and_holidays_and_count_swapped_weekends():
    """Thursday + 3 working days is Tuesday; a holiday on Monday pushes it to Wednesday; a worked Saturday counts."""
    thursday = date(2026, 12, 10)
    assert add_working_days(thursday, 3) == date(2026, 12, 15)
    assert add_working_days(thursday, 3, holidays=frozenset({date(2026, 12, 14)})) == date(2026, 12, 16)
    assert add_working_days(thursday, 3, workdays=frozenset({date(2026, 12, 12)})) == date(2026, 12, 14)
    assert not is_working_day(date(2026, 12, 12)) and is_working_day(date(2026, 12, 11))


def test_friday_meeting_is_due_on_wednesday_and_a_saturday_meeting_on_wednesday_too():
    """The meeting's own day never counts, whatever weekday it is."""
    assert add_working_days(date(2026, 12, 11), 3) == date(2026, 12, 16)
    assert add_working_days(date(2026, 12, 12), 3) == date(2026, 12, 16)


def test_deadline_is_the_end_of_the_last_local_day_with_a_morning_reminder():
    """A meeting on Thursday 10 Dec 14:30 Shanghai: due by the end of Tuesday the 15th, reminded that morning at 09:00;
    a branch setting of 5 working days moves it to Thursday the 17th; overdue from local midnight."""
    start = datetime(2026, 12, 10, 6, 30, tzinfo=UTC)
    deadline = minutes_deadline(start, TZ, MeetingRules())
    assert deadline.due_day == date(2026, 12, 15)
    assert deadline.due_at == datetime(2026, 12, 15, 16, 0, tzinfo=UTC)
    assert deadline.remind_at == datetime(2026, 12, 15, 1, 0, tzinfo=UTC)
    assert not is_overdue(deadline, datetime(2026, 12, 15, 15, 59, tzinfo=UTC))
    assert is_overdue(deadline, datetime(2026, 12, 15, 16, 0, tzinfo=UTC))
    assert minutes_deadline(start, TZ, MeetingRules(minutes_working_days=5)).due_day == date(2026, 12, 17)


def test_deadline_uses_the_local_date_of_a_meeting_late_in_the_utc_day():
    """23:30 UTC on Wednesday is Thursday morning in Shanghai: counted from Thursday."""
    start = datetime(2026, 12, 9, 23, 30, tzinfo=UTC)
    assert minutes_deadline(start, TZ, MeetingRules()).due_day == date(2026, 12, 15)


def test_deadline_across_new_year_with_holiday_setting():
    """Meeting on Wed 30 Dec 2026; 1 Jan 2027 is a holiday: Thu 31, Mon 4, Tue 5 → due 5 Jan 2027."""
    rules = MeetingRules(holidays=[date(2027, 1, 1)])
    start = datetime(2026, 12, 30, 2, 0, tzinfo=UTC)
    assert minutes_deadline(start, TZ, rules).due_day == date(2027, 1, 5)


@pytest.mark.parametrize("text, expected", [
    ("12月10日 14:30-16:30", (date(2026, 12, 10), time(14, 30), time(16, 30))),
    ("2027-01-05 9:00至11:00", (date(2027, 1, 5), time(9, 0), time(11, 0))),
    ("12/10 14：30—16：30", (date(2026, 12, 10), time(14, 30), time(16, 30))),
    ("12月10号 14:30", (date(2026, 12, 10), time(14, 30), time(16, 30))),
    ("1月5日 09:00-11:00", (date(2027, 1, 5), time(9, 0), time(11, 0))),
])
def test_parse_when_accepts_what_people_type(text, expected):
    """Chinese and ISO dates, full-width colons, 至/— ranges; no end means two hours; January typed in November
    is next year's."""
    when = parse_when(text, date(2026, 11, 23))
    assert (when.day, when.start, when.end) == expected


@pytest.mark.parametrize("text", ["明天下午", "13月1日 10:00", "2月30日 10:00", "12月10日 16:00-15:00",
                                  "12月10日 25:00", ""])
def test_parse_when_refuses_what_is_unclear(text):
    """Unclear text, impossible dates and an end before the start are refused."""
    with pytest.raises(ValueError):
        parse_when(text, date(2026, 11, 23))


def test_next_step_goes_through_the_fields_then_the_preview():
    """Confirm first, then agenda, content, resolutions ('' = none), photos; all answered → preview."""
    content = {"confirmed": False, "agenda": None, "content": None, "resolutions": None, "photos_done": False}
    assert next_step(content) == "confirm"
    content["confirmed"] = True
    assert next_step(content) == "agenda"
    content.update(agenda="议题", content="内容")
    assert next_step(content) == "resolutions"
    content["resolutions"] = ""
    assert next_step(content) == "photos"
    content["photos_done"] = True
    assert next_step(content) == "preview"


def test_cli_rules_changes_are_validated():
    """`zhibu meetings rules`: cadences and days change, holidays accumulate; bad values name what is wrong."""
    from bot.cli.meetings import apply
    from bot.domain.meetings import MeetingKind

    changed = apply(MeetingRules(), 5, ["lecture=quarter", "group=month:2"], [date(2027, 1, 1)], [])
    assert changed.minutes_working_days == 5 and changed.holidays == [date(2027, 1, 1)]
    assert changed.cadences[MeetingKind.LECTURE].per == "quarter" and changed.cadences[MeetingKind.GROUP].times == 2
    for bad in (["group=weekly"], ["nothing=month"], ["group=month:99"]):
        with pytest.raises(ValueError, match="--cadence"):
            apply(MeetingRules(), None, bad, [], [])
    with pytest.raises(ValueError, match="--minutes-days"):
        apply(MeetingRules(), 40, [], [], [])
