"""Tasks from above (材料报送): a unit asks its branches for material by a deadline; each branch's state, the
reminders before the deadline and the once-a-day 催办 (pure rules; times are passed in)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain.review import SubmissionStatus

TITLE_MAX = 60
BODY_MAX = 2000
REMIND_DAYS_BEFORE = (3, 1)  # the branches still missing are reminded this many days before the last day
REMIND_AT = time(9, 0)


class TaskStatus(StrEnum):
    DRAFT = "draft"  # being written by the officer
    OPEN = "open"  # issued: the branches hand in
    CLOSED = "closed"  # no more hand-ins


class Task(BaseModel):
    id: int
    unit_id: int
    target_unit: int
    title: str = ""
    body: str = ""
    deadline: datetime | None = None  # the end of the last local day
    file_id: str | None = None
    file_name: str | None = None
    status: TaskStatus = TaskStatus.DRAFT
    created_by: int
    created_by_name: str = ""
    created_at: datetime
    issued_at: datetime | None = None
    closed_at: datetime | None = None


class Target(BaseModel):
    task_id: int
    branch_id: int
    urged_on: date | None = None
    urges: int = 0


class BranchState(StrEnum):
    """Where a branch stands with a task."""

    MISSING = "missing"  # nothing handed in (or only a draft)
    WAITING = "waiting"  # handed in, waiting for review
    RETURNED = "returned"  # sent back with a reason: to be handed in again
    APPROVED = "approved"  # 通过


def state_of(status: SubmissionStatus | None) -> BranchState:
    if status is SubmissionStatus.SUBMITTED:
        return BranchState.WAITING
    if status is SubmissionStatus.RETURNED:
        return BranchState.RETURNED
    if status is SubmissionStatus.APPROVED:
        return BranchState.APPROVED
    return BranchState.MISSING


def owes(state: BranchState) -> bool:
    """Still owes the unit something: nothing handed in, or returned and not handed in again."""
    return state in (BranchState.MISSING, BranchState.RETURNED)


def deadline_of(day: date, tz: str) -> datetime:
    """A task's deadline: the end of its last local day."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=ZoneInfo(tz))


def last_day(deadline: datetime, tz: str) -> date:
    return (deadline.astimezone(ZoneInfo(tz)) - timedelta(seconds=1)).date()


def overdue(task: Task, now: datetime) -> bool:
    return task.status is TaskStatus.OPEN and task.deadline is not None and now >= task.deadline


def reminder_times(deadline: datetime, tz: str, now: datetime) -> list[tuple[int, datetime]]:
    """(days before, when) of the reminders still ahead: 09:00 local, 3 days and 1 day before the last day."""
    zone = ZoneInfo(tz)
    end = last_day(deadline, tz)
    found = []
    for days in REMIND_DAYS_BEFORE:
        moment = datetime.combine(end - timedelta(days=days), REMIND_AT, tzinfo=zone)
        if moment > now:
            found.append((days, moment))
    return found


def may_urge(urged_on: date | None, today: date) -> bool:
    """催办 reaches a branch at most once a (local) day."""
    return urged_on is None or urged_on < today
