"""Standing leave (请销假): a member away for a period (外出务工, 流动党员, illness) asks once for a date range;
while approved, meetings on those days count as leave, not absence (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel

REASON_MAX = 100
LONGEST = timedelta(days=366)  # a standing leave is asked again each year, so it is never forgotten


class StandingLeave(BaseModel):
    id: int
    submission_id: int
    branch_id: int
    member_id: int
    reason: str
    starts_on: date
    ends_on: date
    ended_on: date | None
    created_at: datetime

    @property
    def last_day(self) -> date:
        """The last day away: the planned end, or the day of 销假 when it ended early."""
        return min(self.ends_on, self.ended_on) if self.ended_on else self.ends_on

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.last_day


def check_range(start: date, end: date, today: date) -> str | None:
    """Why a range cannot be asked for (a reason name for templates/away/bad_range.j2), or None."""
    if end < start:
        return "end_before_start"
    if end < today:
        return "past"
    if end - start > LONGEST:
        return "too_long"
    return None
