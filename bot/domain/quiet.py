"""Quiet hours: non-urgent reminders due inside them wait until they end."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def parse_hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def quiet_until(now: datetime, tz: str, start: str, end: str) -> datetime | None:
    """When the quiet window containing `now` ends (aware, in `tz`), or None outside it.

    The window may cross midnight (22:00–07:00); equal start and end means no quiet hours.
    """
    begin, finish = parse_hhmm(start), parse_hhmm(end)
    if begin == finish:
        return None
    local = now.astimezone(ZoneInfo(tz))
    clock = local.time().replace(tzinfo=None)
    if begin < finish:
        inside = begin <= clock < finish
    else:
        inside = clock >= begin or clock < finish
    if not inside:
        return None
    end_day = local.date()
    if begin > finish and clock >= begin:
        end_day += timedelta(days=1)
    return datetime.combine(end_day, finish, tzinfo=ZoneInfo(tz))
