"""Who may take which record book: committee members the registers, only the secretary and deputy the
self-evaluations (members' own writing)."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.services import membership
from storage import members
from tests.e2e.helpers import create_branch, join


async def test_committee_member_gets_registers_but_not_self_evaluations(harness):
    await create_branch(harness)
    organizer = harness.emu.user(2001, "组织委员")
    await join(harness, organizer, "李红梅")
    row = await members.by_telegram_id(harness.svc.db, 2001)
    await membership.toggle_role(harness.svc, 1001, row.id, Role.ORGANIZER)

    await organizer.send("/export selfeval 2026")
    await organizer.expect("权限")
    await organizer.send("/export attendance 2026")
    register = await organizer.expect("考勤")
    assert register.kind == "document"

    plain = harness.emu.user(2002, "普通党员")
    await join(harness, plain, "赵建国")
    await plain.send("/export attendance 2026")
    await plain.expect("权限")
