"""The one follow-up mechanism (pure rules): an open item → its plan → evidence → closed (销号), or carried into the
next year. Three kinds of item share it:

- `unqualified`: a member graded 不合格 in the yearly evaluation; the plan is the measure (限期改正 / 劝其退党 / 除名)
  and its deadline, the evidence a line saying what was done, and an officer above the branch confirms 销号.
- `problem`: one line of a branch's 问题清单 from the 述职评议; the plan is an 整改方案 the secretary drafts (reviewed
  by the unit's officers), the evidence what the branch hands in, and the officers' approval is the 销号. A problem
  still open when the next year's 述职 opens is carried into it (listed again there).
- `yuetan`: the rectification a 约谈 requires; no plan, the evidence is the person's written report, due within one
  month, and the officers' approval closes it.

Every item's state is one of open, closing (evidence handed in, an officer decides) and closed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel


class ItemKind(StrEnum):
    UNQUALIFIED = "unqualified"
    PROBLEM = "problem"
    YUETAN = "yuetan"


class Measure(StrEnum):
    RECTIFY = "rectify"  # 限期改正
    PERSUADE = "persuade"  # 劝其退党
    EXPEL = "expel"  # 除名

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self]


MEASURE_LABELS = {Measure.RECTIFY: "限期改正", Measure.PERSUADE: "劝其退党", Measure.EXPEL: "除名"}


class FollowupStatus(StrEnum):
    OPEN = "open"
    CLOSING = "closing"  # evidence handed in (销号 asked); an officer decides
    CLOSED = "closed"  # 销号


class Followup(BaseModel):
    """One item of the mechanism (a row of `followup_items`)."""

    id: int
    kind: ItemKind = ItemKind.UNQUALIFIED
    source: str  # what opened it: evaluation:ID, shuzhi:ID (a branch's 述职), yuetan:ID
    seq: int = 0  # its place in the source's list (the problem's number; the member for a 不合格 result)
    branch_id: int
    unit_id: int  # whose officers decide its 销号
    member_id: int | None = None  # whom it concerns (none for a branch's problem)
    reason: str | None = None  # the problem, the 不合格 remark, the rectification a 约谈 required
    measure: Measure | None = None  # an unqualified item's plan
    deadline: datetime | None = None  # when the step under way is due (plan, measure, report)
    status: FollowupStatus = FollowupStatus.OPEN
    plan_id: int | None = None  # the approved plan (整改方案), a submission
    closing_note: str | None = None
    evidence_id: int | None = None  # the evidence handed in last, a submission
    carried_into: str | None = None  # the later source it was carried into (next year's 述职)
    opened_at: datetime
    requested_at: datetime | None = None
    closed_at: datetime | None = None
    closed_by: int | None = None

    @property
    def campaign_id(self) -> int | None:
        """The evaluation that opened an unqualified item."""
        kind, _, number = self.source.partition(":")
        return int(number) if kind == "evaluation" and number.isdigit() else None

    @property
    def is_open(self) -> bool:
        return self.status is not FollowupStatus.CLOSED


# What an item of each kind needs before evidence may be handed in: a plan (problems), nothing (a 约谈's report).
NEEDS_PLAN = {ItemKind.UNQUALIFIED: True, ItemKind.PROBLEM: True, ItemKind.YUETAN: False}
# Reminders before the deadline of the step under way, in days (09:00 local each).
REMIND_DAYS = {ItemKind.UNQUALIFIED: (14, 3), ItemKind.PROBLEM: (7, 1), ItemKind.YUETAN: (7, 1)}
REMIND_AT = time(9, 0)


class Step(StrEnum):
    """What an open item waits for."""

    PLAN = "plan"  # its plan (none yet, or the last was turned down)
    PLAN_REVIEW = "plan_review"  # a plan handed in, for the officers
    EVIDENCE = "evidence"  # being carried out: evidence may be handed in
    CLOSING = "closing"  # evidence handed in, for the officers
    CLOSED = "closed"


def step(item: Followup, plan_waiting: bool = False) -> Step:
    """Where the item stands; `plan_waiting`: a plan of it is handed in and not decided yet."""
    if item.status is FollowupStatus.CLOSED:
        return Step.CLOSED
    if item.status is FollowupStatus.CLOSING:
        return Step.CLOSING
    if NEEDS_PLAN[item.kind] and not has_plan(item):
        return Step.PLAN_REVIEW if plan_waiting else Step.PLAN
    return Step.EVIDENCE


def has_plan(item: Followup) -> bool:
    return item.plan_id is not None or item.measure is not None


def may_hand_in_evidence(item: Followup) -> bool:
    """Evidence is for an open item whose plan stands (or that needs none); a closed one takes no more."""
    return item.status is FollowupStatus.OPEN and (has_plan(item) or not NEEDS_PLAN[item.kind])


def may_plan(item: Followup) -> bool:
    return item.status is FollowupStatus.OPEN and NEEDS_PLAN[item.kind] and not has_plan(item)


def is_overdue(item: Followup, now: datetime) -> bool:
    return item.status is FollowupStatus.OPEN and item.deadline is not None and item.deadline <= now


def end_of_day(day: date, tz: str) -> datetime:
    """A deadline on `day`: the end of that local day."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=ZoneInfo(tz))


def last_day(deadline: datetime, tz: str) -> date:
    """The last local day before a deadline stored as the end of that day."""
    return (deadline.astimezone(ZoneInfo(tz)) - timedelta(seconds=1)).date()


def reminder_times(kind: ItemKind, deadline: datetime, tz: str, now: datetime) -> list[tuple[int, datetime]]:
    """(days before, when) of the reminders still ahead of a deadline: 09:00 local, the kind's days before."""
    zone = ZoneInfo(tz)
    final = last_day(deadline, tz)
    found = []
    for days in REMIND_DAYS[kind]:
        moment = datetime.combine(final - timedelta(days=days), REMIND_AT, tzinfo=zone)
        if moment > now:
            found.append((days, moment))
    return found


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int, tz: str) -> datetime:
    """The quarterly check of open problems: the quarter's first day, 09:00 local. A check covers the problems
    opened before the quarter began (a list made in January is checked from April on)."""
    return datetime.combine(date(year, quarter * 3 - 2, 1), REMIND_AT, tzinfo=ZoneInfo(tz))
