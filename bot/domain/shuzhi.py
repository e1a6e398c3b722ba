"""党建述职评议 (pure rules): once a year a unit's officers ask the secretaries of the branches below for their report
on their party-building duty (述职), comment on it (点评), grade it where the unit grades (好 / 较好 / 一般 / 差) and
write the branch's 问题清单, one line a problem. Each problem then goes through the one follow-up mechanism
(bot/domain/followup.py): an 整改方案 by a deadline, checked each quarter, 销号 on evidence, or carried into the next
year's 述职 (seed 003, 富平: "过后冷" is what this prevents)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain import followup
from bot.domain.evaluation import campaign_year

DEADLINE_CHOICES = (7, 14, 30)  # days until the reports are due, offered as buttons
PLAN_DAYS = 30  # the 整改方案 are due this many days after the 问题清单 went out
REMIND_DAYS = (3, 1)  # the secretaries who have not handed in are reminded this many days before the deadline
PROBLEM_MAX = 200  # characters a problem
PROBLEMS_MAX = 20  # problems a branch's list
COMMENT_MAX = 1000
YUETAN_BARS_TOP_GRADE = 2  # 约谈 this often in a year: the seed bars the top grade (shown, never applied)

year_of = campaign_year  # the year reported on: a round held in January–March looks back on the year before


class Grade(StrEnum):
    GOOD = "good"  # 好
    FAIR = "fair"  # 较好
    AVERAGE = "average"  # 一般
    POOR = "poor"  # 差


class Cycle(BaseModel):
    """A unit's round of 述职评议 for one year."""

    id: int
    unit_id: int
    year: int
    graded: bool = True
    deadline: datetime
    opened_by: int
    opened_at: datetime


class Report(BaseModel):
    """One branch's part of a round: the officers' 点评 and grade; its 述职 is a submission, its problems items."""

    id: int
    cycle_id: int
    branch_id: int
    comment: str | None = None
    grade: Grade | None = None
    evaluated_by: int | None = None
    evaluated_at: datetime | None = None
    problems_sent: datetime | None = None
    plan_due: datetime | None = None


_NUMBERING = re.compile(r"^\s*(?:[（(]?\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[)）.、．:：]|[-·•*]|第.{1,3}条[：:、]?)\s*")


class ProblemsRefused(ValueError):
    """The typed list cannot be kept as it is: `reason` (empty, too_long, too_many) and its numbers."""

    def __init__(self, reason: str, line: int = 0, length: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.line, self.length = reason, line, length


def parse_problems(text: str, already: int = 0) -> list[str]:
    """One problem a line, numbering ("1.", "（二）", "- ") left off and blank lines skipped; refused when a line
    is longer than PROBLEM_MAX or the list would hold more than PROBLEMS_MAX with the `already` kept."""
    found = [_NUMBERING.sub("", line).strip() for line in (text or "").splitlines()]
    found = [line for line in found if line]
    if not found:
        raise ProblemsRefused("empty")
    for number, line in enumerate(found, start=1):
        if len(line) > PROBLEM_MAX:
            raise ProblemsRefused("too_long", number, len(line))
    if already + len(found) > PROBLEMS_MAX:
        raise ProblemsRefused("too_many", already + len(found))
    return found


def plan_due(now: datetime, tz: str) -> datetime:
    """The 整改方案 are due PLAN_DAYS after the list goes out, at the end of that local day."""
    return followup.end_of_day((now.astimezone(ZoneInfo(tz)) + timedelta(days=PLAN_DAYS)).date(), tz)


def report_deadline(now: datetime, tz: str, days: int) -> datetime:
    return followup.end_of_day((now.astimezone(ZoneInfo(tz)) + timedelta(days=days)).date(), tz)


def reminder_times(deadline: datetime, tz: str, now: datetime) -> list[tuple[int, datetime]]:
    """(days before, when) of the secretaries' reminders still ahead of the reports' deadline, 09:00 local."""
    final = followup.last_day(deadline, tz)
    found = []
    for days in REMIND_DAYS:
        moment = datetime.combine(final - timedelta(days=days), followup.REMIND_AT, tzinfo=ZoneInfo(tz))
        if moment > now:
            found.append((days, moment))
    return found


def top_grade_barred(yuetan_count: int) -> bool:
    """Information for the officer: the seed's rule bars the top grade after this many 约谈 in a year."""
    return yuetan_count >= YUETAN_BARS_TOP_GRADE
