"""Which commands each person sees: the menu (setMyCommands) and /help come from one list."""

from __future__ import annotations

import json
from functools import lru_cache

from pydantic import BaseModel

from bot.domain.models import Member
from bot.domain.roles import Role
from bot.render import TEMPLATE_DIR


class CommandInfo(BaseModel):
    command: str
    who: str  # all | member | committee | approver | admin | officer | inspector | group_leader
    also: tuple[str, ...] = ()  # further audiences that see it (a 党小组长 sees /meeting for their group)
    description: str
    group: str  # what it is for: /help lists the commands under these headings, in GROUPS' order


# /help's headings, in this order (each command names one in templates/help/commands.json).
GROUPS = ("常用", "活动与会议", "评议、汇报与谈话", "党费", "支部管理", "上级党组织")


@lru_cache(maxsize=1)
def all_commands() -> tuple[CommandInfo, ...]:
    raw = json.loads((TEMPLATE_DIR / "help" / "commands.json").read_text(encoding="utf-8"))
    return tuple(CommandInfo.model_validate(item) for item in raw)


def audiences(member: Member | None, is_admin: bool = False, is_officer: bool = False,
              is_inspector: bool = False) -> set[str]:
    who = {"all"}
    if member is not None and member.is_active:
        who.add("member")
        if Role.GROUP_LEADER in member.roles and member.party_group:
            who.add("group_leader")
        if member.is_committee:
            who.add("committee")
        if member.is_approver:
            who.add("approver")
    if is_admin:
        who.add("admin")
    if is_admin or is_officer:  # ZHIBU_ADMINS are the root unit's officers
        who.add("officer")
    if is_inspector:  # 巡查: the officers' reading commands only
        who.add("inspector")
    return who


def commands_for(member: Member | None, is_admin: bool = False, is_officer: bool = False,
                 is_inspector: bool = False) -> list[CommandInfo]:
    who = audiences(member, is_admin, is_officer, is_inspector)
    return [c for c in all_commands() if c.who in who or who.intersection(c.also)]


def grouped(commands: list[CommandInfo]) -> list[tuple[str, list[CommandInfo]]]:
    """The commands under /help's headings, in GROUPS' order (a heading with none of them is left out)."""
    return [(group, found) for group in GROUPS if (found := [c for c in commands if c.group == group])]
