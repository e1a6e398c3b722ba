"""Filing (备案) and 不合格 follow-ups: the records a branch files with the unit above, the upper committee's review
window, and the follow-up measures after a 不合格 result, with their deadlines and reminders (pure rules)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain import dates, followup
from bot.domain.followup import MEASURE_LABELS, Followup, FollowupStatus, ItemKind, Measure, is_overdue, last_day
from bot.domain.minutes import add_working_days

REVIEW_WORKING_DAYS = 3  # upper committees review what branches file within 3 working days (a unit's policy may say)
DIGEST_TIME = time(8, 30)  # the officers' filing digest, once a day from this local time on


class ReviewStatus(StrEnum):
    """The unit's answer to a filed record."""

    WAITING = "waiting"
    REVIEWED = "reviewed"  # 已审阅
    RETURNED = "returned"  # 退回, with a reason: back to the branch, filed again once fixed


REVIEW_LABELS = {ReviewStatus.WAITING: "待审阅", ReviewStatus.REVIEWED: "已审阅", ReviewStatus.RETURNED: "已退回"}
KIND_LABELS = {"minutes": "会议记录", "evaluation": "民主评议结果"}


class Filing(BaseModel):
    id: int
    kind: str  # minutes | evaluation
    ref: str  # submission:ID | evaluation:ID
    branch_id: int
    unit_id: int
    title: str
    filed_at: datetime
    digest_id: int | None = None
    review_status: ReviewStatus = ReviewStatus.WAITING
    review_by: date | None = None  # the last local day to review it
    reviewed_at: datetime | None = None
    reviewed_by: int | None = None  # the officer's Telegram id
    reviewed_by_name: str | None = None
    review_comment: str | None = None
    reminded_at: datetime | None = None

    def overdue(self, today: date) -> bool:
        """Still unreviewed after the last day to review it."""
        return self.review_status is ReviewStatus.WAITING and self.review_by is not None and today > self.review_by


DEFAULT_MONTHS = {Measure.RECTIFY: 3, Measure.PERSUADE: 1, Measure.EXPEL: 1}
DEADLINE_CHOICES = (1, 3, 6)  # months, offered as buttons


STATUS_LABELS = {FollowupStatus.OPEN: "进行中", FollowupStatus.CLOSING: "待上级确认销号",
                 FollowupStatus.CLOSED: "已销号"}


def review_by(filed_at: datetime, tz: str, days: int = REVIEW_WORKING_DAYS) -> date:
    """The last local day the upper committee has to review a record filed at `filed_at`: `days` working days on
    (its policy's review days, bot/services/policy.review_days)."""
    return add_working_days(filed_at.astimezone(ZoneInfo(tz)).date(), days)


def digest_day(now: datetime, tz: str) -> str | None:
    """Today's local date once the digest time has passed, else None."""
    local = now.astimezone(ZoneInfo(tz))
    return local.date().isoformat() if local.time().replace(tzinfo=None) >= DIGEST_TIME else None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def deadline_after(now: datetime, tz: str, months: int) -> datetime:
    """The end of the local day `months` from today: the deadline of a follow-up."""
    zone = ZoneInfo(tz)
    day = add_months(now.astimezone(zone).date(), months)
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)


def reminder_times(deadline: datetime, tz: str, now: datetime) -> list[tuple[int, datetime]]:
    """(days before, when) for the secretary's reminders still ahead: 09:00 local, 14 and 3 days before."""
    return followup.reminder_times(ItemKind.UNQUALIFIED, deadline, tz, now)


def local_date(moment: datetime, tz: str) -> date:
    return moment.astimezone(ZoneInfo(tz)).date()


__all__ = ["MEASURE_LABELS", "Followup", "FollowupStatus", "Measure", "is_overdue", "last_day"]  # the shared mechanism's, named here too

day_label = dates.full_day
local_time = dates.moment
