"""Roles in a branch and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SECRETARY = "secretary"
    DEPUTY = "deputy"
    ORGANIZER = "organizer"
    PROPAGANDA = "propaganda"
    DISCIPLINE = "discipline"
    GROUP_LEADER = "group_leader"
    PROBATIONARY = "probationary"
    CHECKIN_CLERK = "checkin_clerk"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.SECRETARY: "支部书记",
    Role.DEPUTY: "副书记",
    Role.ORGANIZER: "组织委员",
    Role.PROPAGANDA: "宣传委员",
    Role.DISCIPLINE: "纪检委员",
    Role.GROUP_LEADER: "党小组长",
    Role.PROBATIONARY: "预备党员",
    Role.CHECKIN_CLERK: "签到员",
}

# Roles the secretary hands out from the roster; the secretary role itself is set on the command line.
ASSIGNABLE_ROLES: tuple[Role, ...] = (
    Role.DEPUTY,
    Role.ORGANIZER,
    Role.PROPAGANDA,
    Role.DISCIPLINE,
    Role.GROUP_LEADER,
    Role.PROBATIONARY,
    Role.CHECKIN_CLERK,
)

COMMITTEE_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY, Role.ORGANIZER, Role.PROPAGANDA, Role.DISCIPLINE})

# Who may approve joins and submissions. The deputy secretary acts for the secretary (DOMAIN.md).
APPROVER_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY})


def is_approver(roles: frozenset[Role]) -> bool:
    return bool(roles & APPROVER_ROLES)


def is_committee(roles: frozenset[Role]) -> bool:
    return bool(roles & COMMITTEE_ROLES)


def can_proxy_checkin(roles: frozenset[Role]) -> bool:
    return bool(roles & (APPROVER_ROLES | {Role.CHECKIN_CLERK, Role.ORGANIZER}))


def title(roles: frozenset[Role]) -> str:
    """The person's titles as a secretary would write them: committee posts first, then 党员/预备党员."""
    posts = [r.label for r in Role if r in roles and r not in (Role.PROBATIONARY, Role.CHECKIN_CLERK)]
    posts.append("预备党员" if Role.PROBATIONARY in roles else "党员")
    return "、".join(posts)
