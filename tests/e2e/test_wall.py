"""The 民心墙 end to end: a resident orders through the wall's link (bad input refused), the 党小组长 dispatches,
the member takes it and reports, the resident rates 不满意 and says why, the order is dispatched again and rated
满意 — and the branch's group only ever sees numbers and statuses; an undispatched order reminds the dispatchers
and then the secretary; forged presses are refused; too many open orders from one chat are refused."""

from __future__ import annotations

from bot.callbacks import wall as wall_cb
from bot.domain.roles import Role
from bot.emulator.control import sample_photo
from storage import members
from tests.e2e.helpers import branch_with_members

RESIDENT_ID = 5001
PHONE = "13912345678"
NEED = "3号楼2单元楼道灯坏了一个月"


async def _wall(harness):
    """A branch whose 李红梅 is 党小组长 and whose group is linked; (secretary, leader, worker, group, link code)."""
    secretary, (leader, worker) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    async with harness.svc.db.write() as db:
        await members.add_role(db, (await members.by_telegram_id(db, leader.id)).id, Role.GROUP_LEADER)
    group = harness.emu.group(-100777, "第一党支部群")
    await secretary.send_in(group, "/linkgroup")
    await harness.emu.idle()
    await leader.send("/wall")
    shown = await leader.expect("居民点单链接")
    code = shown.plain.split("start=", 1)[1].split()[0]
    return secretary, leader, worker, group, code


async def _order(harness, resident, code: str) -> int:
    """The resident opens the link, writes the need, leaves a phone, a photo and the place, and hands it in."""
    await resident.send(f"/start {code}")
    await resident.expect("居民点单")
    await resident.send(NEED)
    await resident.expect("已收到")
    await resident.send(PHONE)
    assert PHONE in (await resident.expect("已收到")).plain
    await resident.send_photo(sample_photo())
    await resident.expect("照片 1 张")
    await resident.send_location(34.64123, 107.13456)
    await resident.expect("已发位置")
    await resident.press("✅ 提交")
    receipt = await resident.expect("点单已提交")
    return int(receipt.plain.split("第 ", 1)[1].split(" 号", 1)[0])


async def _dispatch_and_report(harness, leader, worker, text: str) -> None:
    """The leader dispatches to 赵建国, who takes it, reports with a photo; the leader accepts the report."""
    await leader.press("📌 派单")
    await leader.expect("派给谁")
    await leader.press("赵建国")
    await leader.expect("已派给 赵建国")
    await harness.drain()
    card = await worker.expect("派给您办理")
    assert PHONE in card.plain and NEED in card.plain
    await worker.press("🤝 接单", message=card)
    await worker.expect("已接单")
    await worker.send("/wall")  # the member's own work: the report opens from here too
    work = await worker.expect("派给您办理的民心墙点单")
    labels = [b.label for row in work.buttons for b in row]
    assert len(labels) == 1 and labels[0].startswith("📝 报告办理情况：第")
    await worker.press(labels[0], message=work)
    await worker.expect("请写下办理情况")
    await worker.send(text)
    await worker.expect("已保存")
    await worker.send_photo(sample_photo())
    await worker.expect("照片 1 张")
    await worker.press("提交")
    await harness.drain()
    await leader.expect("民心墙办理情况")
    await leader.press("通过")
    await harness.drain()


async def _group_texts(harness, group, awaited: str) -> list[str]:
    """The group's messages once one containing `awaited` arrived (a group's sends are paced)."""
    for _ in range(50):
        texts = [m.plain for m in harness.emu.messages_in(group.id)]
        if any(awaited in text for text in texts):
            return texts
        await harness.emu.wait_event(0.5, chat_id=group.id)
    raise AssertionError(f"no group message containing {awaited!r}")


async def test_resident_orders_leader_dispatches_unsatisfied_dispatched_again_then_satisfied(harness):
    """The whole round trip, twice; the resident's words, phone, place and name never reach the group."""
    secretary, leader, worker, group, code = await _wall(harness)
    resident = harness.emu.user(RESIDENT_ID, "张大妈")
    await resident.send(f"/start {code}")
    await resident.expect("居民点单")
    refused = await resident.press("✅ 提交")
    assert "还没有写需求" in refused.text
    await resident.send("请看 https://example.com/x")
    await resident.expect("不要发送网址")
    await resident.send_document(b"%PDF-1.4", "a.pdf", "application/pdf")
    await resident.expect("只收文字")
    number = await _order(harness, resident, code)
    await harness.drain()
    for dispatcher in (leader, secretary):
        card = await dispatcher.expect(f"民心墙 第 {number} 号")
        assert NEED in card.plain and PHONE in card.plain and "34.64123" in card.plain

    forged = await worker.press_data(worker.last.message_id, wall_cb.assign(number, 1, 1))
    assert "没有派单权限" in forged.text
    await _dispatch_and_report(harness, leader, worker, "已联系物业换了灯泡")
    await resident.expect("已派单")
    rate = await resident.expect("请您评价")
    assert "已联系物业换了灯泡" in rate.plain
    await resident.press("🙁 不满意", message=rate)
    await resident.expect("哪里不满意")
    await resident.send("只换了一层的灯")
    await resident.expect("已转告")
    await harness.drain()
    assert "正在询问原因" in (await leader.expect("第 2 次派单")).plain
    assert "只换了一层的灯" in (await leader.expect("不满意的原因")).plain
    await worker.expect("居民评价：不满意")

    await _dispatch_and_report(harness, leader, worker, "五层的灯全部换好了")
    rate = await resident.expect("请您评价")
    await resident.press("😊 满意", message=rate)
    await resident.expect("已办结")
    await harness.drain()
    await worker.expect("居民评价：满意")

    await secretary.send_in(group, "/wall")
    public = await _group_texts(harness, group, "第一党支部 · 民心墙")
    assert any(f"第 {number} 号：已办结（赵建国），满意" in text for text in public)
    assert any(f"第 {number} 号：已办结（党员：赵建国），居民评价：满意" in text for text in public)
    assert any(f"第 {number} 号：已派单" in text for text in public)
    for secret in (PHONE, "楼道灯", "张大妈", "34.64", "只换了一层"):
        assert not [text for text in public if secret in text], secret


async def test_undispatched_order_reminds_the_dispatchers_then_the_secretary(harness):
    """Two days after an order comes in the dispatchers are reminded; at three days the secretary hears it is
    overdue; once dispatched, nothing more is sent about it."""
    secretary, leader, worker, group, code = await _wall(harness)
    number = await _order(harness, harness.emu.user(RESIDENT_ID, "张大妈"), code)
    await harness.drain()
    await leader.expect(f"民心墙 第 {number} 号")
    harness.clock.advance(days=2, minutes=1)
    await harness.drain()
    reminder = await leader.expect("还没有派单")
    assert f"第 {number} 号" in reminder.plain
    harness.clock.advance(days=1)
    await harness.drain()
    assert f"第 {number} 号" in (await secretary.expect("仍未派单")).plain
    await leader.press("📌 派单", message=reminder)
    await leader.expect("派给谁")
    await leader.press("赵建国")
    await leader.expect("已派给 赵建国")
    forged = await secretary.press_data(secretary.last.message_id, wall_cb.take(number, 1))
    assert "没有派给您" in forged.text
    before = len([t for person in (leader, secretary) for t in person.texts() if "派单" in t])
    harness.clock.advance(days=3)
    await harness.drain()
    await harness.emu.idle()
    assert len([t for person in (leader, secretary) for t in person.texts() if "派单" in t]) == before


async def test_a_chat_with_five_orders_under_way_is_refused_a_sixth(harness):
    """More than five open orders from one chat are refused politely, and no sixth order is made."""
    _, _, _, _, code = await _wall(harness)
    resident = harness.emu.user(RESIDENT_ID, "张大妈")
    for _ in range(5):
        await _order(harness, resident, code)
    await resident.send(f"/start {code}")
    await resident.expect("已有 5 个点单正在办理")
    await resident.send("/wall")
    listed = await resident.expect("您的民心墙点单")
    assert listed.plain.count("待派单") == 5
