"""民主生活会's pure rules: reading a team member's line, and what may happen before the start."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain import life_meeting as rules
from bot.domain.life_meeting import UnitMeeting

START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def _meeting(status: str = "scheduled") -> UnitMeeting:
    return UnitMeeting(id=1, unit_id=2, title="t", place="p", starts_at=START, ends_at=START + timedelta(hours=2),
                       checkin_opens_at=START - rules.CHECKIN_BEFORE, status=status, closed_at=None)


@pytest.mark.parametrize(("text", "read"), [
    ("张县长", ("张县长", None)),
    ("  张县长 123456789 ", ("张县长", 123456789)),
    ("张县长，4103", ("张县长", 4103)),
    ("Li Ming 4103", ("Li Ming", 4103)),
])
def test_a_name_and_maybe_an_id(text, read):
    """A name alone, or a name and a Telegram id after a space or a comma, is read as such."""
    assert rules.read_person(text) == read


@pytest.mark.parametrize("text", ["", "   ", "12345", "张三 12", "张" * 21, None])
def test_anything_else_is_refused(text):
    """Empty, a number alone, a too-short id and a too-long name are not a team member's line."""
    assert rules.read_person(text) is None


def test_leave_and_statement_only_before_the_start():
    """Before the start of a scheduled meeting: yes; at the start, after it, or once closed: no."""
    assert rules.before_start(_meeting(), START - timedelta(minutes=1))
    assert not rules.before_start(_meeting(), START)
    assert not rules.before_start(_meeting("closed"), START - timedelta(days=1))


def test_clean_text():
    """Typed text is stripped, empty is None, and too long says its length."""
    assert rules.clean("  发言 ", 5) == "发言"
    assert rules.clean(" \n ", 5) is None
    with pytest.raises(ValueError, match="6"):
        rules.clean("一二三四五六", 5)


def test_the_half_year_is_local():
    """30 June 17:00 UTC is already 1 July in Shanghai: the second half-year, which ends with the local year; only
    meetings not called off within it count."""
    year, half, start, end = rules.half_year(datetime(2026, 6, 30, 17, 0, tzinfo=UTC), "Asia/Shanghai")
    assert (year, half) == (2026, 2)
    assert (start.isoformat(), end.isoformat()) == ("2026-07-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00")
    assert rules.half_year(datetime(2026, 6, 30, 15, 0, tzinfo=UTC), "Asia/Shanghai")[:2] == (2026, 1)
    assert rules.held_in([_meeting(), _meeting("cancelled")], start, end) == 1
    assert rules.held_in([_meeting()], end, end + timedelta(days=200)) == 0


def test_the_records_criticism():
    """"姓名：意见" lines are read by name, "无" is none at all, and anything else is not a criticism step."""
    assert rules.read_criticism("陈明：抓得不够紧\n陈明: 要加强督促") == {"陈明": "抓得不够紧\n要加强督促"}
    assert rules.read_criticism(" 无 ") == {}
    assert rules.read_criticism("随便写写") is None
