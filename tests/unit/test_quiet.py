from datetime import UTC, datetime

from bot.domain.quiet import quiet_until

TZ = "Asia/Shanghai"


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    """Shanghai wall-clock time on 2026-11-<day> as an aware UTC datetime."""
    from zoneinfo import ZoneInfo

    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo(TZ)).astimezone(UTC)


def test_daytime_is_not_quiet():
    """10:00 is outside 22:00–07:00."""
    assert quiet_until(at(10), TZ, "22:00", "07:00") is None


def test_late_evening_waits_for_next_morning():
    """23:30 waits until 07:00 the next day."""
    wake = quiet_until(at(23, 30), TZ, "22:00", "07:00")
    assert wake == at(7, 0, day=24)


def test_early_morning_waits_for_same_morning():
    """03:00 waits until 07:00 the same day."""
    assert quiet_until(at(3), TZ, "22:00", "07:00") == at(7)


def test_window_edges():
    """The window includes its start and excludes its end."""
    assert quiet_until(at(22), TZ, "22:00", "07:00") == at(7, 0, day=24)
    assert quiet_until(at(7), TZ, "22:00", "07:00") is None


def test_same_day_window_and_disabled():
    """A window that does not cross midnight works; equal bounds mean no quiet hours."""
    assert quiet_until(at(13), TZ, "12:00", "14:00") == at(14)
    assert quiet_until(at(15), TZ, "12:00", "14:00") is None
    assert quiet_until(at(23), TZ, "00:00", "00:00") is None
