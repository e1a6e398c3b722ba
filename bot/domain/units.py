"""The county's organisation tree: units (县委组织部, 党委, 党工委, 党总支 …), their officers, and what a roster
says about a member."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

ROOT_ID = 1  # 县委组织部, made by the migration; ZHIBU_ADMINS are its officers


class Unit(BaseModel):
    id: int
    name: str
    kind: str = ""
    parent_id: int | None = None
    created_at: datetime

    @property
    def is_root(self) -> bool:
        return self.parent_id is None


def outermost(chosen: set[int], parents: dict[int, int | None]) -> list[int]:
    """The units of `chosen` that lie under no other unit of `chosen`, by id: an officer of a 党委 and of a 党总支
    under it oversees the 党委's subtree once. Units are a tree, so these subtrees never overlap. Unknown ids
    (a unit since removed) are left out."""
    found = []
    for unit_id in sorted(chosen):
        if unit_id not in parents:
            continue
        above, seen = parents[unit_id], {unit_id}
        while above is not None and above not in chosen and above not in seen:
            seen.add(above)
            above = parents.get(above)
        if above is None or above in seen:
            found.append(unit_id)
    return found


class Officer(BaseModel):
    unit_id: int
    telegram_id: int
    name: str = ""
    added_at: datetime


class OfficerInvite(BaseModel):
    """A one-use link that makes its opener an officer of a unit, issued by an officer above it."""

    code: str
    unit_id: int
    created_by: int
    created_at: datetime
    used_by: int | None = None
    revoked_at: datetime | None = None


def invite_open(invite: OfficerInvite, now: datetime, days: int) -> bool:
    """An officer link is good while unused, unrevoked and younger than `days` (whether its issuer still may
    issue it is checked against the tree)."""
    return invite.used_by is None and invite.revoked_at is None and now - invite.created_at < timedelta(days=days)


class Profile(BaseModel):
    """A member's roster details (全国党员管理信息系统's columns); the personal link code until they link."""

    member_id: int
    gender: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    category: str | None = None
    joined_on: str | None = None
    confirmed_on: str | None = None
    post: str | None = None
    phone: str | None = None
    link_code: str | None = None


PROFILE_FIELDS = ("gender", "birth_date", "ethnicity", "education", "category", "joined_on", "confirmed_on",
                  "post", "phone")


class Inspector(BaseModel):
    """A read-only person of a unit (巡查): sees what its officers see of the subtree, changes nothing."""

    unit_id: int
    telegram_id: int
    name: str = ""
    added_by: int | None = None
    added_at: datetime
