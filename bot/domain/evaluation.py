"""Democratic evaluation (民主评议党员): grades, the self-evaluation's sections, deadlines and the branch's checks.

Pure rules: every time-dependent function takes `now`; nothing here reads the database.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from bot.domain import dates


class Grade(StrEnum):
    EXCELLENT = "excellent"
    QUALIFIED = "qualified"
    BASIC = "basic"
    UNQUALIFIED = "unqualified"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]


GRADE_LABELS = {
    Grade.EXCELLENT: "优秀",
    Grade.QUALIFIED: "合格",
    Grade.BASIC: "基本合格",
    Grade.UNQUALIFIED: "不合格",
}
GRADES: tuple[Grade, ...] = tuple(Grade)


def parse_grade(value: str) -> Grade | None:
    try:
        return Grade(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    hint: str


# The usual headings of a 个人自评 (the order members are asked in).
SECTIONS: tuple[Section, ...] = (
    Section("politics", "思想政治", "理想信念、政治立场、遵守党的纪律等方面的表现"),
    Section("study", "学习", "参加组织生活、学习党的理论和政策的情况"),
    Section("conduct", "工作作风", "工作态度、联系群众、廉洁自律等方面的表现"),
    Section("vanguard", "发挥先锋模范作用", "在工作、生活和志愿服务中带头作用的事例"),
    Section("shortcomings", "存在不足及整改措施", "自己存在的不足，以及今后的整改措施"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
# 党性分析: asked as one more section of members whose last one is older than the branch's interval (DOMAIN.md).
PARTY_SPIRIT = Section("party_spirit", "党性分析", "对照党章和入党誓词，剖析自己的党性修养：理想信念、宗旨意识、组织纪律等")


def sections_of(content: dict[str, Any]) -> tuple[Section, ...]:
    """The sections this self-evaluation asks: the usual five, and the 党性分析 when it was due at the start."""
    return SECTIONS + (PARTY_SPIRIT,) if content.get("party_spirit") else SECTIONS


SECTION_MAX = 1000


class Campaign(BaseModel):
    id: int
    branch_id: int
    year: int
    deadline: datetime
    status: str
    opened_by: int
    opened_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Result(BaseModel):
    member_id: int
    final_grade: Grade | None
    remark: str | None


def section_by_key(key: str) -> Section | None:
    return next((s for s in SECTIONS + (PARTY_SPIRIT,) if s.key == key), None)


def append_part(so_far: str, part: str) -> str:
    """A section written in several messages: the parts in the order sent, one per line."""
    return f"{so_far}\n{part}" if so_far else part


def first_missing_section(sections: dict[str, str], among: tuple[Section, ...] = SECTIONS) -> Section | None:
    """The first section not yet written (the form resumes there)."""
    return next((s for s in among if not (sections.get(s.key) or "").strip()), None)


def campaign_year(now: datetime, tz: str) -> int:
    """The year being evaluated: evaluations held in January–March look back on the year before."""
    local = now.astimezone(ZoneInfo(tz))
    return local.year - 1 if local.month <= 3 else local.year


def end_of_local_day(day_local: datetime, tz: str) -> datetime:
    """23:59 local on that date, in UTC (a deadline a member reads as 'that day')."""
    moment = datetime.combine(day_local.date(), time(23, 59), tzinfo=ZoneInfo(tz))
    return moment.astimezone(UTC)


def deadline_after(now: datetime, tz: str, days: int) -> datetime:
    """The deadline `days` days from today, at the end of that local day."""
    return end_of_local_day(now.astimezone(ZoneInfo(tz)) + timedelta(days=days), tz)


def extended_deadline(deadline: datetime, now: datetime, tz: str, days: int) -> datetime:
    """Extend by `days`; counted from today when the deadline has already passed (so the extension is real)."""
    base = max(deadline, now)
    return end_of_local_day(base.astimezone(ZoneInfo(tz)) + timedelta(days=days), tz)


def accepting(status: str, deadline: datetime, now: datetime) -> bool:
    """Members may grade and hand in self-evaluations while the campaign is open and the deadline not passed."""
    return status == "open" and now <= deadline


def may_submit_selfeval(status: str, deadline: datetime, now: datetime, returned: bool) -> bool:
    """A first submission needs the deadline; a self-evaluation the secretary returned may be fixed until close."""
    return accepting(status, deadline, now) or (status == "open" and returned)


def excellent_limit(participants: int, max_share_pct: int) -> int:
    """How many 优秀 the branch's share allows (rounded down; a share rule never allows a fraction of a person)."""
    return participants * max_share_pct // 100


@dataclass(frozen=True)
class ExcellentWarning:
    count: int
    limit: int
    max_share_pct: int


def excellent_over_limit(finals: list[Grade | None], participants: int, max_share_pct: int) -> ExcellentWarning | None:
    count = sum(1 for g in finals if g is Grade.EXCELLENT)
    limit = excellent_limit(participants, max_share_pct)
    return ExcellentWarning(count, limit, max_share_pct) if count > limit else None


def unqualified_without_reason(results: dict[int, tuple[Grade | None, str | None]]) -> list[int]:
    """Members graded 不合格 whose reason (the secretary's remark) is missing: they cannot be filed so."""
    return sorted(m for m, (grade, remark) in results.items()
                  if grade is Grade.UNQUALIFIED and not (remark or "").strip())


def without_final_grade(member_ids: list[int], results: dict[int, tuple[Grade | None, str | None]]) -> list[int]:
    return [m for m in member_ids if results.get(m, (None, None))[0] is None]


REMIND_DAYS_BEFORE = (3, 1)
REMIND_AT = time(9, 0)


def reminder_times(deadline: datetime, tz: str, now: datetime) -> list[tuple[int, datetime]]:
    """(days before, when) for each reminder still ahead: 09:00 local, 3 and 1 days before the deadline's day."""
    zone = ZoneInfo(tz)
    last_day = deadline.astimezone(zone).date()
    planned = []
    for days in REMIND_DAYS_BEFORE:
        at = datetime.combine(last_day - timedelta(days=days), REMIND_AT, tzinfo=zone).astimezone(UTC)
        if now < at < deadline:
            planned.append((days, at))
    return planned


# Peer grades are anonymous: while the evaluation runs, a member's tally (and the comments on them) shows only once
# so many have graded them that a new vote can no longer be told apart — a small branch would reveal, from one
# look to the next, who gave which grade.
PEER_SHOWN_FROM = 5


def peer_tally_shown(votes: int, campaign_open: bool) -> bool:
    """Whether the secretary may see the distribution of a member's peer grades (and the comments) now."""
    return not campaign_open or votes >= PEER_SHOWN_FROM


def peer_finished(graded: int, others: int) -> bool:
    return graded >= others


def ballot_of(salt: str, member_id: int) -> str:
    """The grader's opaque ballot id for one campaign; without the salt it says nothing about the member."""
    return hmac.new(salt.encode(), str(member_id).encode(), hashlib.sha256).hexdigest()[:32]


def when(moment: datetime, tz: str) -> str:
    """A deadline as members read it: 12月7日 23:59 (local time)."""
    return dates.moment(moment, tz)
