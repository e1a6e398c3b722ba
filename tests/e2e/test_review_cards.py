"""Review cards as approvers see them after the fact: a decided card keeps who, what and when and shows the outcome
and who decided; every approver's copy follows one approver's decision; a returned-and-resubmitted version's card
says it was superseded and loses its buttons; photos arrive as one album captioned with whose they are; a rejected
leave tells the member the truth about what is left to do."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from bot.domain.roles import Role
from storage import members, submissions
from tests.e2e.helpers import branch_with_members

# The branch's December theme day (first Thursday, 09:00–11:00 Shanghai) is over at 03:05 UTC.
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)
ENGLISH = ("submitted", "approved", "returned", "rejected", "None", "True", "False", "pending")


async def _with_deputy(harness):
    """The branch, with 赵建国 (member 3) as deputy secretary: a second approver who gets every card."""
    secretary, people = await branch_with_members(harness)
    async with harness.svc.db.write() as db:
        await members.add_role(db, 3, Role.DEPUTY)
    await harness.drain()
    return secretary, people


async def _hand_in_makeup(harness, c, photos: int = 0) -> None:
    """The theme day is over; 孙丽 (absent) hands in her make-up (with `photos` photos) and the cards go out."""
    harness.clock.set(AFTER_END)
    await harness.drain()
    await c.expect("补课通知")
    await c.press("📝 提交补课材料")
    await c.expect("请发送您的学习心得")
    await c.send("重新学习了党章总纲。")
    for _ in range(photos):
        await c.send_photo()
    await c.expect(f"图片 {photos} 张" if photos else "已保存")
    await c.press("📤 提交")
    await c.expect("补课材料已提交")
    await harness.drain()


def _no_english(text: str) -> None:
    """No internal status word reaches a person (commands such as /pending are fine: they are typed)."""
    words = set(re.findall(r"(?<![/A-Za-z])[A-Za-z]+", text))
    assert not words & set(ENGLISH), text


async def test_approval_updates_every_approvers_card(harness):
    """通过 on the secretary's card: that card keeps 李红梅, the meeting and the reason and shows ✅ 已批准 by 王书记
    with no buttons; the deputy's copy is edited the same way; the deputy's late tap changes nothing."""
    secretary, (a, deputy, c) = await _with_deputy(harness)
    await a.send("/leave")
    await a.expect("请发送请假理由")
    await a.send("在县医院住院治疗")
    await a.expect("请假申请已提交")
    await harness.drain()
    mine = await secretary.expect("请假申请待审核")
    theirs = await deputy.expect("请假申请待审核")
    assert {"✅ 批准", "❌ 不批准"} <= set(theirs.labels())

    await secretary.press("✅ 批准", message=mine)
    await harness.emu.idle()
    decided = harness.emu.current(secretary.id, mine.message_id)
    for text in (decided.plain,):
        assert "提交人：李红梅" in text and "在县医院住院治疗" in text and "主题党日" in text
        assert "✅ 已批准" in text and "王书记" in text
        _no_english(text)
    assert decided.labels() == []
    await harness.drain()
    copy = harness.emu.current(deputy.id, theirs.message_id)
    assert "✅ 已批准" in copy.plain and "王书记" in copy.plain and "在县医院住院治疗" in copy.plain
    assert copy.labels() == []
    late = await deputy.press_data(theirs.message_id, theirs.buttons[0][0].data)
    assert "已处理" in late.text
    _no_english(late.text)


async def test_return_supersede_and_reject_of_a_makeup_with_photos(harness):
    """A make-up with three photos reaches both approvers as one album captioned "孙丽的补课材料 附图（共 3 张）";
    退回修改 with a reason edits both cards to ↩️ 已退回修改 with the reason and no buttons; handed in again, the old
    cards say 已被新版本取代, and 通过 pressed on an old card shows that, never a raw status; 驳回 of the new version
    tells the author it is final."""
    secretary, (a, deputy, c) = await _with_deputy(harness)
    await _hand_in_makeup(harness, c, photos=3)
    mine = await secretary.expect("附图（共 3 张）")
    card = await secretary.expect("补课材料待审核")
    assert mine.kind == "photo" and mine.plain == "孙丽的补课材料 附图（共 3 张）"
    assert "附图 3 张" in card.plain
    album = [m for m in secretary.messages() if m.kind == "photo"]
    assert len(album) == 3 and [m.plain for m in album[1:]] == ["", ""]
    theirs = await deputy.expect("补课材料待审核")
    record = (await submissions.by_author(harness.svc.db, 4, "makeup"))[0]

    await secretary.press("↩️ 退回修改", message=card)
    await secretary.expect("退回修改的意见")
    await secretary.send("请补充学习体会")
    answer = await secretary.expect("已退回修改")
    assert "请补充学习体会" in answer.plain and "提交人：孙丽" in answer.plain
    await harness.drain()
    for who, message in ((secretary, card), (deputy, theirs)):
        now = harness.emu.current(who.id, message.message_id)
        assert "↩️ 已退回修改" in now.plain and "理由：请补充学习体会" in now.plain and "王书记" in now.plain
        assert "重新学习了党章总纲" in now.plain and now.labels() == []
    await c.expect("被退回修改")

    await c.send("/makeup")
    tasks = await c.expect("补课任务")
    await c.press(tasks.labels()[0], message=tasks)
    await c.send("体会：要把学习成果落实到工作中。")
    await c.press("📤 提交")
    await harness.drain()
    second = await secretary.expect("第 2 次提交")
    for who, message in ((secretary, card), (deputy, theirs)):
        now = harness.emu.current(who.id, message.message_id)
        assert "已被新版本取代" in now.plain and now.labels() == []
    stale = await secretary.press_data(card.message_id, f"rv:ok:{record.id}:1")
    _no_english(stale.text)
    await harness.emu.idle()
    shown = harness.emu.current(secretary.id, card.message_id)
    assert "已被新版本取代" in shown.plain
    _no_english(shown.plain)
    assert (await submissions.get(harness.svc.db, record.id)).status == "submitted"

    await secretary.press("❌ 驳回", message=second)
    asked = await secretary.expect("驳回的理由")
    assert "最终决定" in asked.plain
    await secretary.send("内容与本次主题无关")
    await harness.drain()
    told = await c.expect("已驳回")
    assert "不能再次提交" in told.plain and "内容与本次主题无关" in told.plain
    _no_english(told.plain)
    for who in (secretary, deputy):
        for message in who.messages():
            _no_english(message.plain)


async def test_rejected_leave_says_what_can_still_be_done(harness):
    """不批准 with a reason: the member is told the leave cannot be asked again and to attend or talk to the
    secretary; /leave then says the same, and the secretary was warned before writing the reason."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await a.send("/leave")
    await a.send("家里有事")
    await a.expect("请假申请已提交")
    await harness.drain()
    card = await secretary.expect("请假申请待审核")
    await secretary.press("❌ 不批准", message=card)
    asked = await secretary.expect("不批准的理由")
    assert "不能再次提交" in asked.plain
    await secretary.send("本次学习内容重要，请安排好时间参加")
    await harness.drain()
    told = await a.expect("未获批准")
    assert "不能再次请假" in told.plain and "请按时参加" in told.plain and "补课" in told.plain
    await a.send("/leave")
    again = await a.expect("不能再次申请")
    assert "直接与书记联系" in again.plain
    await harness.drain()
    decided = harness.emu.current(secretary.id, card.message_id)
    assert "❌ 未获批准" in decided.plain and "家里有事" in decided.plain and decided.labels() == []


async def _reopen(who):
    """/pending, then the first item's button: the card again, as a new message in the approver's chat."""
    await who.send("/pending")
    listed = await who.expect("待审核")
    await who.press(listed.labels()[0], message=listed)
    card = await who.expect("待审核")
    assert card.message_id != listed.message_id and card.labels()
    return card


async def _leave_for_review(harness, secretary, a, deputy):
    """李红梅 asks for leave; both approvers get the card."""
    await a.send("/leave")
    await a.expect("请发送请假理由")
    await a.send("在县医院住院治疗")
    await a.expect("请假申请已提交")
    await harness.drain()
    return await secretary.expect("请假申请待审核"), await deputy.expect("请假申请待审核")


async def test_card_reopened_from_pending_follows_another_approvers_decision(harness):
    """The deputy opens the leave card again from /pending; the secretary approves from the card the outbox sent:
    the deputy's re-opened copy (like the deputy's first copy) shows ✅ 已批准 by 王书记 with no buttons, and a
    late tap on it changes nothing and leaves it decided."""
    secretary, (a, deputy, c) = await _with_deputy(harness)
    mine, theirs = await _leave_for_review(harness, secretary, a, deputy)
    again = await _reopen(deputy)

    await secretary.press("✅ 批准", message=mine)
    await harness.drain()
    for message in (theirs, again):
        copy = harness.emu.current(deputy.id, message.message_id)
        assert "✅ 已批准" in copy.plain and "王书记" in copy.plain and "在县医院住院治疗" in copy.plain
        assert copy.labels() == []
        _no_english(copy.plain)
    late = await deputy.press_data(again.message_id, again.buttons[0][0].data)
    assert "已处理" in late.text
    await harness.emu.idle()
    assert harness.emu.current(deputy.id, again.message_id).labels() == []


async def test_deciding_from_a_reopened_card_and_a_deleted_copy(harness):
    """The deputy opens the card again twice and deletes the first re-opened copy, then approves from the second:
    that copy shows the decision at once, the secretary's card and the deputy's first card follow, and the deleted
    copy's edit is dropped — no new message arrives in its place."""
    secretary, (a, deputy, c) = await _with_deputy(harness)
    mine, theirs = await _leave_for_review(harness, secretary, a, deputy)
    deleted = await _reopen(deputy)
    pressed = await _reopen(deputy)
    harness.emu.replace_message(harness.emu.current(deputy.id, deleted.message_id), deleted=True)
    before = len(harness.emu.messages_in(deputy.id))

    await deputy.press("✅ 批准", message=pressed)
    await harness.emu.idle()
    shown = harness.emu.current(deputy.id, pressed.message_id)
    assert "✅ 已批准" in shown.plain and "赵建国" in shown.plain and shown.labels() == []
    await harness.drain()
    for who, message in ((secretary, mine), (deputy, theirs)):
        copy = harness.emu.current(who.id, message.message_id)
        assert "✅ 已批准" in copy.plain and "赵建国" in copy.plain and copy.labels() == []
    assert len(harness.emu.messages_in(deputy.id)) == before


async def test_cards_reopened_twice_follow_a_return_and_the_new_version(harness):
    """The deputy opens the make-up card again twice; the secretary returns it from the card the outbox sent with a
    reason: both re-opened copies show ↩️ 已退回修改 with the reason and no buttons; handed in again, both say
    已被新版本取代, while the new version's card is live."""
    secretary, (a, deputy, c) = await _with_deputy(harness)
    await _hand_in_makeup(harness, c)
    card = await secretary.expect("补课材料待审核")
    await deputy.expect("补课材料待审核")
    copies = [await _reopen(deputy), await _reopen(deputy)]

    await secretary.press("↩️ 退回修改", message=card)
    await secretary.expect("退回修改的意见")
    await secretary.send("请补充学习体会")
    await secretary.expect("已退回修改")  # the return is committed before the drain that edits the copies
    await harness.drain()
    for message in copies:
        now = harness.emu.current(deputy.id, message.message_id)
        assert "↩️ 已退回修改" in now.plain and "理由：请补充学习体会" in now.plain and "王书记" in now.plain
        assert now.labels() == []
    await c.expect("被退回修改")

    await c.send("/makeup")
    tasks = await c.expect("补课任务")
    await c.press(tasks.labels()[0], message=tasks)
    await c.send("体会：要把学习成果落实到工作中。")
    await c.expect("已保存")
    await c.press("📤 提交")
    await c.expect("补课材料已提交")
    await harness.drain()
    second = await deputy.expect("第 2 次提交")
    assert second.labels()
    for message in copies:
        now = harness.emu.current(deputy.id, message.message_id)
        assert "已被新版本取代" in now.plain and now.labels() == []
        _no_english(now.plain)


async def test_a_show_press_forged_onto_a_group_message_posts_no_card_there(harness):
    """/pending's 查看 and the card's 批准 data forged onto the bot's message in the branch group: refused as stale,
    the card (a member's leave reason) never appears in the group and the request stays undecided."""
    secretary, (a, deputy, c) = await _with_deputy(harness)
    group = harness.emu.group(-100321, "第一党支部群")
    await secretary.send_in(group, "/linkgroup")
    await harness.emu.idle()
    card, _ = await _leave_for_review(harness, secretary, a, deputy)
    await secretary.send("/pending")
    listed = await secretary.expect("待审核")
    in_group = harness.emu.messages_in(group.id)[-1]
    answer = await asyncio.wait_for(harness.emu.callback_query(secretary, group.id, in_group.message_id,
                                                               listed.buttons[0][0].data), 10)
    await harness.emu.idle()
    assert "失效" in answer.text
    approve = next(b.data for row in card.buttons for b in row if "批准" in b.label)
    answer = await asyncio.wait_for(harness.emu.callback_query(secretary, group.id, in_group.message_id, approve), 10)
    await harness.emu.idle()
    assert "失效" in answer.text
    assert not [m for m in harness.emu.messages_in(group.id) if "在县医院住院治疗" in m.plain]
    assert (await submissions.by_author(harness.svc.db, 2, "leave"))[0].status.value == "submitted"
