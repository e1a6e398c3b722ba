"""Joining a branch end to end: CLI → /invite → deep link → name → approval → greeting."""

from __future__ import annotations

import pytest

from bot.domain.models import MemberStatus
from bot.services import membership
from storage import audit, members
from tests.e2e.helpers import create_branch, invite_code, join
from tests.support import ENGINES, SECRETARY_ID


@pytest.mark.parametrize("engine", ENGINES)  # the bot on each storage engine
async def test_member_joins_by_deep_link_and_is_greeted(harness, engine):
    """CLI branch → /invite → /start code → name → secretary taps 通过 → member active, told, greeted by name and role.

    The one test that creates its branch with the real `zhibu branch create` in a process of its own (the others
    use the same use case, or the command's `main`, in this process); on PostgreSQL the same command's `main` runs
    in this process (the command's own process start-up is the same on either engine)."""
    done = await harness.cli("branch", "create", "--name", "第一党支部", "--secretary-id", str(SECRETARY_ID),
                             "--secretary-name", "王书记", process=engine == "sqlite")
    assert done.returncode == 0, done.stderr
    assert "branch id: 1" in done.stdout
    # getMe answered, so the link names the bot, not a placeholder.
    assert f"https://t.me/{harness.emu.bot_username}?start=" in done.stdout
    cli_code = invite_code(done.stdout)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/start")
    assert "王书记" in (await secretary.expect("您好")).plain

    await secretary.send("/invite")
    link = await secretary.expect("邀请链接")
    assert cli_code in link.plain  # the CLI's invitation is the branch's live one

    alice = harness.emu.user(2001, "Alice")
    await alice.send(f"/start {cli_code}")
    await alice.expect("真实姓名")
    await alice.send("李红梅")
    await alice.expect("已提交")
    pending = await members.by_telegram_id(harness.svc.db, 2001)
    assert pending.status is MemberStatus.PENDING

    await harness.drain()
    card = await secretary.expect("入支部申请")
    assert "李红梅" in card.plain
    answer = await secretary.press("通过")
    assert answer is not None
    edited = await secretary.expect("已通过")
    assert edited.message_id == card.message_id  # the card itself shows the outcome

    await harness.drain()
    await alice.expect("已通过审核")
    await alice.send("/start")
    greeting = await alice.expect("您好")
    assert "李红梅" in greeting.plain and "党员" in greeting.plain
    active = await members.by_telegram_id(harness.svc.db, 2001)
    assert active.status is MemberStatus.ACTIVE
    actions = [e.action for e in await audit.for_branch(harness.svc.db, active.branch_id)]
    assert "member.request" in actions and "member.approve" in actions


async def test_member_cannot_approve_join_card_and_forged_data_changes_nothing(harness):
    """A member pressing 通过 on a card (or forged callback data) is refused and nothing changes."""
    await create_branch(harness)
    bob = harness.emu.user(2002, "Bob")
    await join(harness, bob, "赵建国")

    carol = harness.emu.user(2003, "Carol")
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/invite")
    code = (await secretary.expect("邀请链接")).plain.split("start=", 1)[1].split()[0]
    await carol.send(f"/start {code}")
    await carol.expect("真实姓名")
    await carol.send("孙丽")
    await carol.expect("已提交")
    await harness.drain()
    card = await secretary.expect("入支部申请")
    carol_row = await members.by_telegram_id(harness.svc.db, 2003)

    # Bob replays the secretary's button data from his own chat: same data, wrong person.
    answer = await bob.press_data(bob.last.message_id, f"join:ok:{carol_row.id}")
    assert "权限" in answer.text
    # Forged data of every shape is answered and ignored.
    for forged in ("join:ok:999999", "join:ok:abc", "join:zz:1", "mem:r:1:secretary", "nonsense"):
        reply = await bob.press_data(bob.last.message_id, forged)
        assert reply is not None and reply.text
    assert (await members.by_telegram_id(harness.svc.db, 2003)).status is MemberStatus.PENDING
    assert not [m for m in await members.in_branch(harness.svc.db, 1) if m.telegram_id == 2003]

    # The real approver still can, and a second tap says it was already handled.
    await secretary.press("拒绝", message=card)
    again = await secretary.press_data(card.message_id, f"join:ok:{carol_row.id}")
    assert "已处理" in again.text
    assert (await members.get(harness.svc.db, carol_row.id)).status is MemberStatus.REJECTED


async def test_stranger_and_bad_input_get_clear_answers(harness):
    """Unknown people are told how to join; bad codes, bad names and unknown commands get a hint; nothing is created."""
    await create_branch(harness)
    stranger = harness.emu.user(3001, "Stranger")
    await stranger.send("你好")
    await stranger.expect("邀请链接")
    await stranger.send("/start not-a-code")
    await stranger.expect("无效或已停用")
    await stranger.send("/members")
    await stranger.expect("还不是任何支部的成员")

    _, _, second = await membership.create_branch(harness.svc, "二支部", 1002, "刘书记")
    code = second.code
    await stranger.send(f"/start {code}")
    await stranger.expect("真实姓名")
    await stranger.send("12345")
    await stranger.expect("请只填写真实姓名")
    assert await members.by_telegram_id(harness.svc.db, 3001) is None
    await stranger.send("/frobnicate")
    await stranger.expect("/help")


async def test_rotated_link_stops_old_code(harness):
    """After 换一个链接 the old deep link is refused and the new one works."""
    old = await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/invite")
    await secretary.expect("邀请链接")
    await secretary.press("换一个链接")
    rotated = await secretary.expect("旧链接已失效")
    new = rotated.plain.split("start=", 1)[1].split()[0]
    assert new != old
    dan = harness.emu.user(2004, "Dan")
    await dan.send(f"/start {old}")
    await dan.expect("无效或已停用")
    await dan.send(f"/start {new}")
    await dan.expect("真实姓名")


async def test_roles_and_removal_from_roster(harness):
    """The secretary sets a role from /members, the menu follows, and removal keeps history but ends access."""
    await create_branch(harness)
    eve = harness.emu.user(2005, "Eve")
    await join(harness, eve, "周敏")
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/members")
    await secretary.expect("党员名册")
    await secretary.press("周敏")
    await secretary.expect("身份：党员")
    await secretary.press("副书记")
    await secretary.expect("副书记")
    deputy = await members.by_telegram_id(harness.svc.db, 2005)
    assert "deputy" in deputy.roles
    await harness.emu.idle()  # the menu is set right after the card is edited
    assert "invite" in [c["command"] for c in harness.emu.commands_for(2005)]

    # The deputy may now use /invite; removing them ends it and they are told.
    await eve.send("/invite")
    await eve.expect("邀请链接")
    await secretary.press("移出支部")
    await secretary.expect("确定将")
    await secretary.press("确认移出")
    await secretary.expect("已移出")
    gone = await members.get(harness.svc.db, deputy.id)
    assert gone.status is MemberStatus.LEFT and gone.roles == frozenset()
    await harness.drain()
    await eve.expect("不再是")
    await eve.send("/invite")
    await eve.expect("还不是任何支部的成员")


async def test_help_depends_on_role(harness):
    """/help shows secretary commands to the secretary only."""
    await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/help")
    assert "/invite" in (await secretary.expect("您可以")).plain
    frank = harness.emu.user(2006, "Frank")
    await join(harness, frank, "吴刚")
    await frank.send("/help")
    text = (await frank.expect("您可以")).plain
    assert "/invite" not in text and "/help" in text


async def test_secretary_adds_a_member_without_a_smartphone(harness):
    """➕ on the roster, a name, and the member is active with no Telegram account (checked in by proxy)."""
    await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/members")
    await secretary.expect("党员名册")
    await secretary.press("添加无智能手机的党员")
    await secretary.expect("真实姓名")
    await secretary.send("陈 福生 1")
    await secretary.expect("请只填写真实姓名")  # the form stays open after a bad name
    await secretary.send("陈福生")
    added = await secretary.expect("已将")
    assert "陈福生" in added.plain
    offline = [m for m in await members.in_branch(harness.svc.db, 1) if m.name == "陈福生"]
    assert len(offline) == 1 and offline[0].telegram_id is None and offline[0].is_active
    await secretary.press("返回名册")
    roster = await secretary.expect("党员名册")
    assert "陈福生" in roster.plain and "无手机" in roster.plain

    await secretary.press("添加无智能手机的党员")
    await secretary.expect("真实姓名")
    await secretary.send("陈福生")
    await secretary.expect("已经有一位")
    assert len([m for m in await members.in_branch(harness.svc.db, 1) if m.name == "陈福生"]) == 1

    eve = harness.emu.user(2007, "Eve")
    await join(harness, eve, "周敏")
    forged = await eve.press_data(eve.last.message_id, "mem:add")
    assert "权限" in forged.text


async def test_cancel_says_truthfully_whether_anything_was_kept(harness):
    """/cancel in a form whose answers live only in the conversation says they are gone; with nothing open, says so."""
    await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/cancel")
    await secretary.expect("没有正在填写")
    await secretary.send("/members")
    await secretary.expect("党员名册")
    await secretary.press("添加无智能手机的党员")
    await secretary.expect("真实姓名")
    await secretary.send("/cancel")
    dropped = await secretary.expect("已取消")
    assert "没有保存" in dropped.plain
    await secretary.send("陈福生")  # no longer in the form: just a hint, nobody added
    await harness.emu.idle()
    assert not [m for m in await members.in_branch(harness.svc.db, 1) if m.name == "陈福生"]


async def test_branch_create_says_politely_when_telegram_cannot_be_reached(harness):
    """getMe failing (Telegram unreachable or the token refused): the branch is still created, the link has a
    placeholder and a note says why and what to do (/invite gives the full link), with no traceback."""
    harness.emu.fail("getMe", 401, times=5)
    done = await harness.cli("branch", "create", "--name", "第二党支部", "--secretary-id", "1777",
                             "--secretary-name", "刘书记")
    assert done.returncode == 0, done.stderr
    assert "branch id: 1" in done.stdout and "YOUR_BOT_USERNAME?start=" in done.stdout
    assert "could not be reached" in done.stdout and "/invite" in done.stdout
    assert "Traceback" not in done.stderr
