"""思想汇报 for every member (seed 002: 党员定期汇报思想): by default only 预备党员 are reminded; once the secretary
sets an interval for full members on /settings, each full member gets the period's reminder, a report handed in
withdraws it, and the digest names the full members a whole period passed without a report from."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.roles import Role
from storage import audit, branches, members
from tests.e2e.helpers import branch_with_members


async def hand_in(member, reminder) -> None:
    await member.press("写思想汇报", message=reminder)
    await member.expect("请发送您的思想汇报")
    await member.send("这段时间我认真学习了党章，工作中努力发挥作用。")
    kept = await member.expect("已收到")
    assert "已提交" in (await member.press("提交", message=kept)).text


async def test_full_members_are_asked_at_the_interval_the_branch_sets(harness):
    """Not asked by default (the 预备党员 is); after 正式党员思想汇报 → 每半年 1 次 each full member gets the half-year's
    reminder; the one who hands in is not named, the one who did not is, under 正式党员 in the digest."""
    secretary, (a, b, c) = await branch_with_members(harness)
    async with harness.svc.db.write() as db:
        await members.add_role(db, (await members.by_telegram_id(db, c.id)).id, Role.PROBATIONARY)
    harness.clock.set(datetime(2026, 12, 18, 2, 0, tzinfo=UTC))
    await harness.drain()
    assert "2026年10–12月" in (await c.expect("思想汇报提醒")).plain  # the 预备党员, each quarter
    assert not [t for t in a.texts() + b.texts() if "思想汇报提醒" in t]  # full members: not asked yet

    await secretary.send("/settings")
    assert "正式党员思想汇报：不提醒" in (await secretary.expect("支部设置")).plain
    await secretary.press("正式党员思想汇报：不提醒")
    await secretary.expect("请选择")
    assert "已修改" in (await secretary.press("每半年 1 次")).text
    assert "正式党员思想汇报：每半年 1 次" in (await secretary.expect("支部设置")).plain
    assert (await branches.get(harness.svc.db, 1)).settings.member_report_months == 6
    assert [e for e in await audit.for_branch(harness.svc.db, 1) if e.action == "settings.change"]

    harness.clock.set(datetime(2026, 12, 19, 2, 0, tzinfo=UTC))  # the next day's plan asks the full members
    await harness.drain()
    reminder = await a.expect("思想汇报提醒")
    assert "2026年7–12月" in reminder.plain
    assert "2026年7–12月" in (await b.expect("思想汇报提醒")).plain
    await hand_in(a, reminder)

    harness.clock.set(datetime(2027, 6, 18, 2, 0, tzinfo=UTC))  # two weeks before the half-year ends
    await harness.drain()
    await hand_in(a, await a.expect("2027年1–6月"))
    await b.expect("2027年1–6月")

    harness.clock.set(datetime(2027, 7, 2, 1, 0, tzinfo=UTC))  # the half-year passed: b never handed one in
    await harness.drain()
    digest = await secretary.expect("上一期未交思想汇报的正式党员")
    line = next(x for x in digest.plain.splitlines() if "上一期未交思想汇报的正式党员" in x)
    assert "赵建国" in line and "李红梅" not in line
