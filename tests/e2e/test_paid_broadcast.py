"""ZHIBU_PAID_BROADCAST=1 on the real bot: a branch notice reaches its members with allow_paid_broadcast, while
the secretary's own answers and the join flow's messages go free."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import branch_with_members


@pytest.fixture
def harness_settings() -> dict:
    return {"paid_broadcast": True}


async def test_a_notice_is_paid_and_nothing_else(harness):
    """The three members' copies of the notice are the only paid sends."""
    secretary, people = await branch_with_members(harness)
    assert harness.emu.stats["paid"] == 0
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("本周五下午3点在村委会会议室学习。")
    await secretary.expect("通知预览")
    await secretary.press("发送")
    await secretary.expect("阅读情况")
    await harness.drain()
    for person in people:
        await person.expect("村委会会议室")
    paid = [c for c in harness.emu.calls if str(c.params.get("allow_paid_broadcast", "")).lower() == "true"]
    assert sorted(int(c.params["chat_id"]) for c in paid) == sorted(p.id for p in people)
    assert harness.emu.stats["paid"] == 3
