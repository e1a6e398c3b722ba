"""Notices: write → preview → send; 已读 receipts with live counts; 催读 and the automatic nudge."""

from __future__ import annotations

import pytest

from bot.domain.roles import Role
from bot.services import membership
from storage import members, notices, receipts
from tests.e2e.helpers import branch_with_members
from tests.support import ENGINES


@pytest.mark.parametrize("engine", ENGINES)  # the bot on each storage engine
async def test_notice_read_receipts_live_counts_and_nudges(harness):
    """Secretary sends a notice; members get 已读; counts update live; 催读 and the N-day nudge reach only the unread."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("本周五下午3点在村委会会议室学习<二十大>精神，请准时参加。")
    preview = await secretary.expect("通知预览")
    assert "共 3 人" in preview.plain and "<二十大>" in preview.plain
    await secretary.press("发送")
    await secretary.expect("通知已发送")
    status = await secretary.expect("阅读情况")
    assert "已读 0 / 3" in status.plain

    await harness.drain()
    for person in (a, b, c):
        await person.expect("村委会会议室")
    answer = await a.press("已读")
    assert "已确认" in answer.text
    again = await a.press_data(a.last.message_id, a.last.buttons_data()[0])
    assert "确认过" in again.text
    refreshed = await secretary.expect("已读 1 / 3")
    assert refreshed.message_id == status.message_id  # the same status message, edited

    await secretary.press("催读")
    await harness.drain()
    await b.expect("还没有确认阅读")
    await c.expect("还没有确认阅读")
    await harness.emu.idle()
    assert not [t for t in a.texts() if "还没有确认阅读" in t]

    await b.press("已读")
    harness.clock.advance(days=3, hours=1)
    await harness.drain()
    await c.expect("还没有确认阅读")  # the automatic nudge after 3 days
    await harness.emu.idle()
    assert len([t for t in b.texts() if "还没有确认阅读" in t]) == 1  # only the manual one
    counts = await receipts.counts(harness.svc.db, receipts.Table.BRANCH, 1)
    assert (counts.read, counts.total) == (2, 3)


async def test_member_cannot_send_or_forge_notice_actions(harness):
    """A member cannot start a notice, send someone's draft, or mark a notice read they never got."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await a.send("/notice")
    await a.expect("权限")
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("仅支委会知悉的通知")
    await secretary.expect("通知预览")
    answer = await a.press_data(a.last.message_id, "nt:s:1")
    assert "权限" in answer.text
    assert (await notices.get(harness.svc.db, 1)).status == "draft"
    await secretary.press("支委成员")
    await secretary.expect("支委成员")
    # Nobody else sits on the committee yet: the secretary is told so and nothing is sent.
    refusal = await secretary.press("发送")
    assert "没有可以接收的党员" in refusal.text
    assert (await notices.get(harness.svc.db, 1)).status == "draft"

    b_member = await members.by_telegram_id(harness.svc.db, b.id)
    await membership.toggle_role(harness.svc, 1001, b_member.id, Role.ORGANIZER)
    await secretary.press("发送")
    await secretary.expect("通知已发送")
    await harness.drain()
    await b.expect("仅支委会知悉")
    reply = await a.press_data(a.last.message_id, "nt:r:1")
    assert "不是发给您的" in reply.text
    counts = await receipts.counts(harness.svc.db, receipts.Table.BRANCH, 1)
    assert (counts.read, counts.total) == (0, 1)


async def test_notice_bad_input(harness):
    """An over-long or empty notice is refused with the limit stated, and nothing is drafted."""
    secretary, _ = await branch_with_members(harness, names=("李红梅",))
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("字" * 3001)
    refusal = await secretary.expect("最多 3000")
    assert "3001" in refusal.plain
    await secretary.send_location(34.8, 109.9)
    await secretary.expect("不能为空")
    assert await notices.get(harness.svc.db, 1) is None


async def test_notice_also_posted_to_linked_group(harness):
    """A linked group gets the notice text without 已读 buttons; the read counts stay private."""
    secretary, (a, *_rest) = await branch_with_members(harness, names=("李红梅",))
    group = harness.emu.group(-100123, "第一党支部群")
    await secretary.send_in(group, "/linkgroup")
    await harness.emu.idle()
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("周日义务植树，自愿报名。")
    await secretary.expect("通知预览")
    await secretary.press("同时发到支部群")
    await secretary.expect("并发到支部群")
    await secretary.press("发送")
    await secretary.expect("通知已发送")
    await harness.drain()
    posts = [m for m in harness.emu.messages_in(group.id) if "义务植树" in m.plain]
    assert len(posts) == 1 and not posts[0].buttons
    assert all("已读" not in m.plain or "私聊" in m.plain for m in harness.emu.messages_in(group.id))


async def test_a_notice_takes_as_many_messages_as_the_secretary_sends(harness):
    """The body sent in three messages (and a photo) is one notice: each part appended and saved before the preview
    comes back (a restart keeps it); a second file is refused; 发送 sends the whole once. Taps: 发送 only."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("关于召开12月支部党员大会的通知")
    await secretary.expect("通知预览")
    await secretary.send("时间：12月10日下午2:30")
    added = await secretary.expect("接在后面并保存")
    assert "关于召开12月支部党员大会的通知\n时间：12月10日下午2:30" in added.plain
    await harness.restart()
    await secretary.send("地点：村委会会议室")
    await secretary.expect("接在后面并保存")
    await secretary.send_photo(caption="会场位置图")
    await secretary.expect("（附图片）")
    await secretary.send_photo()
    await secretary.expect("只能附一个")
    draft = await notices.get(harness.svc.db, 1)
    assert draft.body == "关于召开12月支部党员大会的通知\n时间：12月10日下午2:30\n地点：村委会会议室\n会场位置图"
    assert draft.file_kind == "photo"
    await secretary.press("发送")
    await secretary.expect("通知已发送")
    await harness.drain()
    received = await a.expect("地点：村委会会议室")
    assert "时间：12月10日下午2:30" in received.plain
    await secretary.send("再补一句")  # after sending, nothing is appended to the sent notice
    await harness.emu.idle()
    assert (await notices.get(harness.svc.db, 1)).body == draft.body
