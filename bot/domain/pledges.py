"""亮身份、亮职责、亮承诺 (seed 002): a member's post and yearly pledge, and how it was kept (践诺)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

POST_MAX = 60
PLEDGE_MAX = 300
NOTE_MAX = 200


class Kept(StrEnum):
    KEPT = "kept"  # 已践诺
    PARTLY = "partly"  # 部分践诺
    NOT = "not"  # 未践诺


class Pledge(BaseModel):
    id: int
    branch_id: int
    member_id: int
    year: int
    post: str
    pledge: str
    confirmed_by: int | None = None
    kept: Kept | None = None
    kept_note: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by is not None


def read_entry(text: str) -> tuple[str, str] | None:
    """(post, pledge) from the member's message: the first line is the post, the rest the pledge; None when either
    is missing or too long."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return None
    post, pledge = lines[0], "\n".join(lines[1:])
    if len(post) > POST_MAX or len(pledge) > PLEDGE_MAX:
        return None
    return post, pledge
