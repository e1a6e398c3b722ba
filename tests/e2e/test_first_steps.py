"""A new secretary is not left with a flat list of commands: /start shows the first steps not done yet, a button
each, and /help lists the commands under headings by what they are for."""

from __future__ import annotations

from bot.bench.roster import county_rows, workbook
from bot.services import roster
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


async def test_an_officer_in_no_branch_starts_on_the_subtree_not_on_joining(harness):
    """An officer of 第1镇党委 who belongs to no branch: /start names his role with 📊 支部总览 and 🏷 所辖组织和党支部
    buttons that open /overview and /units (no invite-link advice); his /help ends without 还没加入支部; a stranger's
    /start still explains joining and has no button."""
    await roster.apply(harness.svc, workbook(*county_rows(2, 4, 10)))
    await harness.cli("unit", "officer", "add", "--unit", "第1镇党委", "--telegram-id", "7001")
    officer = harness.emu.user(7001, "张委员")
    await officer.send("/start")
    greeting = await officer.expect("上级党组织管理员")
    assert "邀请链接" not in greeting.plain
    assert greeting.labels() == ["📊 支部总览", "🏷 所辖组织和党支部"]
    await officer.press("📊 支部总览", message=greeting)
    overview = await officer.expect("支部总览")
    assert "第1镇党委" in overview.plain and "第2镇党委" not in overview.plain
    await officer.press("🏷 所辖组织和党支部", message=greeting)
    await officer.expect("所辖党支部共")
    await officer.send("/help")
    assert "还没加入支部" not in (await officer.expect("/overview")).plain

    stranger = harness.emu.user(7999, "路人")
    await stranger.send("/start")
    told = await stranger.expect("邀请链接")
    assert "上级党组织管理员" not in told.plain and not told.labels()
