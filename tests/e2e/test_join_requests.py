"""Join requests do not get lost: /pending lists them with 通过 / 拒绝; an applicant may correct the name or withdraw
before the decision; a name like "asdf" is questioned (请填写真实姓名) with a confirm for an unusual real name."""

from __future__ import annotations

from bot.domain.models import MemberStatus
from storage import audit, members
from tests.e2e.helpers import SECRETARY_ID, create_branch


async def _apply(harness, user, code: str, name: str) -> None:
    await user.send(f"/start {code}")
    await user.expect("真实姓名")
    await user.send(name)
    await user.expect("已提交")
    await harness.drain()


async def test_pending_lists_join_requests_with_approve_and_reject(harness):
    """Two requests: the secretary's to-dos say 🙋 入支部申请 2 人, which opens /pending, naming both with ✅ 通过 /
    ❌ 拒绝; 通过 approves 刘洋 (told, greeted as a member) and
    the list shows again in place with 陈静 alone; 拒绝 rejects her and the list says nothing waits."""
    code = await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    liu, chen = harness.emu.user(3001, "L"), harness.emu.user(3002, "C")
    await _apply(harness, liu, code, "刘洋")
    await _apply(harness, chen, code, "陈静")
    await secretary.send("有什么要处理的")  # not understood: his to-dos, the join requests among them
    todo = await secretary.expect("您现在的待办")
    await secretary.press("🙋 入支部申请 2 人", message=todo)
    listing = await secretary.expect("入支部申请（2 人）")
    assert listing.labels() == ["✅ 通过 刘洋", "❌ 拒绝 刘洋", "✅ 通过 陈静", "❌ 拒绝 陈静"]
    await secretary.press("✅ 通过 刘洋", message=listing)
    again = await secretary.expect("入支部申请（1 人）")
    assert again.message_id == listing.message_id and again.labels() == ["✅ 通过 陈静", "❌ 拒绝 陈静"]
    await harness.drain()
    await liu.expect("已通过审核")
    await secretary.press("❌ 拒绝 陈静", message=again)
    done = await secretary.expect("没有待审核的事项")
    assert done.message_id == listing.message_id
    assert (await members.by_telegram_id(harness.svc.db, 3001)).status is MemberStatus.ACTIVE
    assert await members.by_telegram_id(harness.svc.db, 3002) is None  # rejected: no live membership
    member = harness.emu.user(3001, "L")  # 刘洋, now a member, forges 拒绝 on a newcomer's request: refused
    await _apply(harness, harness.emu.user(3004, "N"), code, "赵新")
    newcomer = await members.by_telegram_id(harness.svc.db, 3004)
    refused = await member.press_data(listing.message_id, f"join:lno:{newcomer.id}")
    assert "权限" in refused.text
    assert (await members.by_telegram_id(harness.svc.db, 3004)).status is MemberStatus.PENDING


async def test_an_applicant_corrects_the_name_before_the_decision(harness):
    """刘样 (a typo) is corrected to 刘洋 with ✏️ 修改姓名: the secretary gets the card again with the new name and
    the old one noted; 通过 makes 刘洋 a member; the audit has the correction."""
    code = await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    liu = harness.emu.user(3001, "L")
    await liu.send(f"/start {code}")
    await liu.expect("真实姓名")
    await liu.send("刘样")
    waiting = await liu.expect("已提交")
    assert waiting.labels() == ["✏️ 修改姓名", "↩️ 撤回申请"]
    await liu.press("✏️ 修改姓名", message=waiting)
    await liu.expect("更正后的真实姓名")
    await liu.send("刘洋")
    renamed = await liu.expect("姓名已更正为刘洋")
    assert "原填：刘样" in renamed.plain
    await harness.drain()
    card = [m for m in secretary.messages() if "已更正姓名" in m.plain][-1]
    assert "姓名：刘洋（原填：刘样）" in card.plain
    await secretary.press("通过", message=card)
    await harness.drain()
    await liu.expect("已通过审核")
    member = await members.by_telegram_id(harness.svc.db, 3001)
    assert member.name == "刘洋" and member.status is MemberStatus.ACTIVE
    actions = [e.action for e in await audit.for_branch(harness.svc.db, member.branch_id)]
    assert "member.request_rename" in actions


async def test_an_applicant_withdraws_and_the_card_says_so(harness):
    """↩️ 撤回申请 (also offered by /start while waiting): the request ends, the secretary is told, his card answers
    that it was withdrawn and /pending lists nothing; opening the link again starts afresh."""
    code = await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    liu = harness.emu.user(3001, "L")
    await _apply(harness, liu, code, "刘洋")
    card = await secretary.expect("入支部申请")
    await liu.send("/start")
    status = await liu.expect("正在等待支部书记审核")
    assert status.labels() == ["✏️ 修改姓名", "↩️ 撤回申请"]
    await liu.press("↩️ 撤回申请", message=status)
    await liu.expect("已撤回")
    await harness.drain()
    await secretary.expect("撤回了入支部申请")
    await secretary.press("通过", message=card)
    shown = await secretary.expect("申请人已撤回申请")
    assert shown.message_id == card.message_id
    assert await members.by_telegram_id(harness.svc.db, 3001) is None
    await secretary.send("/pending")
    await secretary.expect("没有待审核的事项")
    await _apply(harness, liu, code, "刘洋")  # a new request
    await secretary.send("/pending")
    await secretary.expect("入支部申请（1 人）")


async def test_a_name_that_does_not_look_real_is_questioned(harness):
    """"asdf" is met with 请填写真实姓名 and a confirm; typing 刘洋 instead submits 刘洋. "Anna" really is another
    applicant's name: ✅ 确认使用 submits it as typed. Nothing reaches the secretary before the name is settled."""
    code = await create_branch(harness)
    secretary = harness.emu.user(SECRETARY_ID, "王")
    liu, anna = harness.emu.user(3001, "L"), harness.emu.user(3002, "A")
    await liu.send(f"/start {code}")
    await liu.expect("真实姓名")
    await liu.send("asdf")
    asked = await liu.expect("请填写真实姓名")
    assert asked.labels() == ["✅ 确认使用“asdf”"]
    assert await members.by_telegram_id(harness.svc.db, 3001) is None
    await liu.send("刘洋")
    await liu.expect("已提交")

    await anna.send(f"/start {code}")
    await anna.expect("真实姓名")
    await anna.send("Anna")
    asked = await anna.expect("请填写真实姓名")
    await anna.press("✅ 确认使用“Anna”", message=asked)
    await anna.expect("已提交")
    await harness.drain()
    names = sorted(m.name for m in await members.in_branch(harness.svc.db, 1, [MemberStatus.PENDING]))
    assert names == ["Anna", "刘洋"]
    cards = [m.plain for m in secretary.messages() if "入支部申请" in m.plain]
    assert not any("asdf" in text for text in cards)
