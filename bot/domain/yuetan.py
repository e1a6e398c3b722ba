"""约谈 (pure rules): an officer's formal talk with a secretary or member (seed 003, 咸阳) — notice in advance
(约谈预告), a full record (全程纪实), and a written report on the rectification within one month. Being 约谈 twice
in a year bars the top grade: zhibu shows the count where officers grade, and applies nothing itself."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain import followup
from bot.domain.filing import add_months

REPORT_MONTHS = 1  # the written report on the rectification is due within a month of the talk
REASON_MAX = 200
PLACE_MAX = 60
CONTENT_MAX = 3000
RECTIFICATION_MAX = 1000
NAME_MATCHES_MAX = 10  # people offered for a typed name
RECORD_AFTER = timedelta(hours=1)  # the officer is asked for the record this long after the talk began
EVE = timedelta(days=1)  # the person is reminded the day before


class Reason(StrEnum):
    """The seed's categories (咸阳's 约谈办法), and free text."""

    DUTY = "duty"  # 不主动履行党建责任
    SUPERVISION = "supervision"  # 不从严管理监督党员
    LIFE = "life"  # 组织生活不正常、不规范
    DISCIPLINE = "discipline"  # 不严格遵守党的纪律
    STYLE = "style"  # 作风方面存在突出问题
    COMPLAINT = "complaint"  # 群众反映、举报问题
    OTHER = "other"  # typed


class Status(StrEnum):
    SCHEDULED = "scheduled"
    RECORDED = "recorded"
    CANCELLED = "cancelled"


class Yuetan(BaseModel):
    id: int
    unit_id: int
    branch_id: int
    member_id: int
    reason_code: Reason
    reason: str
    starts_at: datetime
    place: str
    scheduled_by: int
    scheduled_at: datetime
    status: Status = Status.SCHEDULED
    content: str | None = None
    rectification: str | None = None
    recorded_by: int | None = None
    recorded_at: datetime | None = None


def report_due(recorded_at: datetime, tz: str) -> datetime:
    """The written report is due within REPORT_MONTHS of the record: the end of that local day."""
    day = add_months(recorded_at.astimezone(ZoneInfo(tz)).date(), REPORT_MONTHS)
    return followup.end_of_day(day, tz)


def year_bounds(year: int, tz: str) -> tuple[datetime, datetime]:
    """A calendar year's talks: from its first local midnight to the next year's."""
    zone = ZoneInfo(tz)
    return (datetime.combine(date(year, 1, 1), datetime.min.time(), tzinfo=zone),
            datetime.combine(date(year + 1, 1, 1), datetime.min.time(), tzinfo=zone))


def clean(text: str | None, limit: int) -> str | None:
    """One typed field, white space tidied; None when empty; ValueError when longer than `limit`."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    if len(cleaned) > limit:
        raise ValueError(len(cleaned))
    return cleaned
