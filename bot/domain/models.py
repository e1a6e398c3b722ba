"""The aggregates the storage layer returns."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.domain.holidays import HolidayMove
from bot.domain.roles import Role, is_approver, is_committee, title


class MemberStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    LEFT = "left"
    REJECTED = "rejected"


class BranchSettings(BaseModel):
    """Per-branch settings; every field has the county default, so an empty JSON object is valid."""

    model_config = ConfigDict(extra="ignore")

    quiet_start: str = "22:00"
    quiet_end: str = "07:00"
    digest_time: str = "08:30"
    notice_nudge_days: int = Field(default=3, ge=1, le=30)
    # 民主评议: the largest share of members the branch may grade 优秀, in percent.
    evaluation_excellent_max_pct: int = Field(default=20, ge=0, le=100)
    # 思想汇报: 预备党员 report once every this many months (a quarter by default; a divisor of 12).
    report_months: Literal[1, 2, 3, 4, 6, 12] = 3
    # 党性分析: the self-evaluation asks for one when the last is older than this (the seeds: at least every 5 years).
    party_spirit_years: int = Field(default=5, ge=1, le=10)
    # 主题党日 on a public holiday: moved to the next working day (or the previous, or kept); the secretary confirms.
    theme_holiday_move: HolidayMove = HolidayMove.NEXT_WORKDAY
    # The month's theme is fixed by this day of the month (seed 002: the 5th); None: the branch has no such rule.
    theme_due_day: int | None = Field(default=None, ge=1, le=28)
    # Members on approved standing leave (外出务工, 流动党员, illness) get make-up tasks for the meetings they miss.
    away_makeup: bool = False
    # Which of the settings the units' policy governs (due day, holiday rule, 优秀 share) the branch chose itself:
    # bot/domain/policy.py. None: set before policies existed, when a value other than the default counts as chosen.
    own: list[str] | None = None


class Branch(BaseModel):
    id: int
    name: str
    tz: str | None = None
    settings: BranchSettings = Field(default_factory=BranchSettings)
    group_chat_id: int | None = None
    created_at: datetime


class Member(BaseModel):
    id: int
    branch_id: int
    telegram_id: int | None
    name: str
    status: MemberStatus
    reachable: bool = True
    party_group: str | None = None
    dues_fen: int | None = None  # 党费 per month, in fen (分); None: not set yet
    menu: str | None = None  # the command menu last given to them (see handlers/telegram/menus.py)
    roles: frozenset[Role] = frozenset()
    created_at: datetime
    updated_at: datetime

    @property
    def is_active(self) -> bool:
        return self.status is MemberStatus.ACTIVE

    @property
    def is_approver(self) -> bool:
        return self.is_active and is_approver(self.roles)

    @property
    def is_committee(self) -> bool:
        return self.is_active and is_committee(self.roles)

    @property
    def is_secretary(self) -> bool:
        return self.is_active and Role.SECRETARY in self.roles

    @property
    def title(self) -> str:
        return title(self.roles)


class Invitation(BaseModel):
    id: int
    branch_id: int
    code: str
    created_by: int | None
    created_at: datetime
    revoked_at: datetime | None = None


class AuditEntry(BaseModel):
    id: int
    at: datetime
    branch_id: int | None
    actor_id: int | None
    action: str
    subject: str | None
    detail: dict[str, Any] = Field(default_factory=dict)


class Conversation(BaseModel):
    """A form in progress: which form, which step, and the answers so far."""

    telegram_id: int
    kind: str
    step: str
    data: dict[str, Any] = Field(default_factory=dict)
    updated_at: datetime
