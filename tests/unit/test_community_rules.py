"""在职党员到社区报到's rules: reading a service line (day, hours, what), the limits of a day's hours, the posts a
community sets, and how minutes read as hours."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.community import BadService, Served, fits_the_day, hours, read_hours, read_posts, read_service

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(("line", "served"), [
    ("12月1日 3小时 为独居老人修理水管", Served(date(2026, 12, 1), 180, "为独居老人修理水管")),
    ("2026-11-28，1.5h，社区政策宣讲", Served(date(2026, 11, 28), 90, "社区政策宣讲")),
    ("今天 半小时 整理图书角", Served(TODAY, 30, "整理图书角")),
    ("昨天 2 清扫楼道", Served(date(2026, 12, 2), 120, "清扫楼道")),
    ("12月3日 24小时 防汛值守", Served(TODAY, 1440, "防汛值守")),
])
def test_a_service_line_reads_as_day_hours_and_what(line, served):
    """The day first (read as past), then the hours (digits, a decimal, 半小时), then what was done."""
    assert read_service(line, TODAY) == served


@pytest.mark.parametrize(("line", "why"), [
    ("为独居老人修理水管 3小时", "no_date"),
    ("12月40日 3小时 修水管", "bad_date"),
    ("明天 3小时 修水管", "future"),
    ("2026-12-25 3小时 修水管", "future"),
    ("12月1日 三个钟头左右 修水管", "no_hours"),
    ("12月1日 修水管", "no_hours"),
    ("12月1日 0小时 修水管", "zero"),
    ("12月1日 0.001小时 修水管", "zero"),
    ("12月1日 25小时 修水管", "too_many"),
    ("12月1日 3小时", "no_content"),
    ("12月1日 3小时 " + "修" * 201, "too_long"),
])
def test_bad_service_lines_say_why(line, why):
    """Each kind of bad line is refused with its own reason (the template words it)."""
    with pytest.raises(BadService) as caught:
        read_service(line, TODAY)
    assert str(caught.value) == why


def test_hours_are_a_number_at_the_start():
    """'3小时' is three hours; a word that merely begins with a digit is no number of hours."""
    assert read_hours("3小时 修水管") == (180, "修水管")
    with pytest.raises(BadService):
        read_hours("3号楼 修水管")


def test_a_day_holds_at_most_24_hours():
    """What was already logged for the day and the new service together stay within 24 hours."""
    assert fits_the_day(20 * 60, 4 * 60)
    assert not fits_the_day(20 * 60, 4 * 60 + 1)


def test_posts_are_lines_or_lists_without_duplicates_and_within_limits():
    """One post a line (or 、 separated), duplicates dropped; too many or too long gives nothing."""
    assert read_posts("政策宣讲\n水电维修、助老助残\n水电维修") == ["政策宣讲", "水电维修", "助老助残"]
    assert read_posts("\n \n") == []
    assert read_posts("、".join(f"岗位{i}" for i in range(13))) == []
    assert read_posts("岗" * 21) == []


def test_minutes_read_as_hours_with_one_decimal():
    """Whole hours have no decimal; others one."""
    assert (hours(180), hours(90), hours(80)) == ("3", "1.5", "1.3")
