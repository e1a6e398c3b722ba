"""A new secretary is not left with a flat list of commands: /start shows the first steps not done yet, a button
each, and /help lists the commands under headings by what they are for."""

from __future__ import annotations

from tests.e2e.helpers import SECRETARY_ID, create_branch, join


async def test_a_new_secretary_gets_the_first_steps_with_their_buttons(harness):
    """Fresh branch: five steps, none done, a button each; 📨 邀请党员 opens the invite link; once a member joined the
    first step is ticked and its button gone; a member's /start has no steps."""
    await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/start")
    welcome = await secretary.expect("开始使用的几步")
    assert welcome.labels() == ["📨 邀请党员", "👥 设定支委", "📅 设定主题党日", "💴 设定党费标准", "🗓 安排会议"]
    assert welcome.plain.count("⬜") == 5
    await secretary.press("📨 邀请党员", message=welcome)
    await secretary.expect("邀请链接")

    member = harness.emu.user(2001, "李")
    await join(harness, member, "李红梅")
    await secretary.send("/start")
    again = await secretary.expect("开始使用的几步")
    assert "✅ 1." in again.plain and "📨 邀请党员" not in again.labels() and len(again.labels()) == 4
    await secretary.press("📅 设定主题党日", message=again)
    await secretary.expect("主题党日")

    await member.send("/start")
    greeting = await member.expect("您好")
    assert "开始使用的几步" not in greeting.plain and not greeting.labels()


async def test_help_groups_the_commands_by_what_they_do(harness):
    """The secretary's /help: headings 常用, 活动与会议, 评议、汇报与谈话, 党费, 支部管理, each command once under one."""
    await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/help")
    shown = await secretary.expect("您可以")
    lines = shown.plain.splitlines()
    headings = [line for line in lines if line in ("常用", "活动与会议", "评议、汇报与谈话", "党费", "支部管理", "上级党组织")]
    assert headings == ["常用", "活动与会议", "评议、汇报与谈话", "党费", "支部管理"]
    commands = [line.split(" ")[0] for line in lines if line.startswith("/")]
    assert len(commands) == len(set(commands)) >= 20
    assert lines.index("/invite — 支部邀请链接") > lines.index("支部管理") > lines.index("/checkin — 签到（主题党日等活动）")
