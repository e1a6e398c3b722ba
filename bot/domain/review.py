"""The review state machine shared by every kind of submission."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class SubmissionStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # 退回修改: the author fixes it and submits again
    APPROVED = "approved"
    REJECTED = "rejected"  # 驳回: final
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    APPROVE = "ok"
    RETURN = "ret"
    REJECT = "rej"


STATUS_LABELS = {
    SubmissionStatus.DRAFT: "草稿",
    SubmissionStatus.SUBMITTED: "待审核",
    SubmissionStatus.RETURNED: "已退回修改",
    SubmissionStatus.APPROVED: "已通过",
    SubmissionStatus.REJECTED: "已驳回",
    SubmissionStatus.WITHDRAWN: "已撤回",
}

AFTER_DECISION = {
    Decision.APPROVE: SubmissionStatus.APPROVED,
    Decision.RETURN: SubmissionStatus.RETURNED,
    Decision.REJECT: SubmissionStatus.REJECTED,
}

EDITABLE = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})


def can_submit(status: SubmissionStatus) -> bool:
    return status in EDITABLE


def can_decide(status: SubmissionStatus) -> bool:
    return status is SubmissionStatus.SUBMITTED


def needs_comment(decision: Decision) -> bool:
    """Returning or rejecting must say why; approving needs no words."""
    return decision is not Decision.APPROVE


class Submission(BaseModel):
    id: int
    branch_id: int
    author_id: int
    kind: str
    ref: str
    status: SubmissionStatus
    content: dict[str, Any] = Field(default_factory=dict)
    version: int
    comment: str | None
    decided_by: int | None
    decided_by_name: str | None = None  # who decided, by name (an officer of a unit may be no member)
    submitted_at: datetime | None
    decided_at: datetime | None
    created_at: datetime
    updated_at: datetime


class SubmissionFile(BaseModel):
    id: int
    submission_id: int
    file_id: str
    file_kind: str
    caption: str | None
    file_name: str | None = None  # a document's own name as it was sent


class ShownCard(BaseModel):
    """A copy of a submission's card (for one version) that an approver opened again from /pending, in their own
    chat: kept so that a decision or a newer version edits it like the copies the outbox sent."""

    id: int
    submission_id: int
    version: int
    branch_id: int
    member_id: int
    chat_id: int
    message_id: int
