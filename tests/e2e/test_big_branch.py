"""A branch of 120 members evaluates: /peereval and 评议结果 page their names 40 at a time, so no keyboard passes
Telegram's 100 buttons and no text its 4,096 characters; paging, grading on a later page and « 返回名单 land on the
right page. Nothing the bot sends is refused by the emulator's Telegram limits."""

from __future__ import annotations

from bot.bench.roster import name_of
from bot.emulator.telegram_html import utf16_length
from storage import members
from storage import roster as roster_store
from tests.e2e.helpers import branch_with_members


def _keyboard_ok(message) -> bool:
    return sum(len(row) for row in message.buttons) <= 100 and utf16_length(message.plain) <= 4096


async def test_a_120_member_branch_evaluates_with_paged_lists(harness):
    """119 names to grade in pages of 40 (1/3 → 2/3 → 3/3), « 返回名单 from a name on page 3 returns to page 3; the
    secretary's results page 40 members (text and buttons) and a member's card goes back to that member's page."""
    secretary, (member,) = await branch_with_members(harness, names=("李红梅",))
    async with harness.svc.db.write() as db:
        for index in range(118):
            await roster_store.insert_member(db, 1, name_of(1000 + index), None, harness.clock.now())
    assert len(await members.in_branch(harness.svc.db, 1)) == 120
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    await secretary.expect("参评党员")

    await member.send("/peereval")
    sheet = await member.expect("名单第 1/3 页")
    assert _keyboard_ok(sheet) and len([b for b in sheet.labels() if "未评" in b]) == 40
    await member.press("下一页 »", message=sheet)
    await member.expect("名单第 2/3 页")
    await member.press("下一页 »")
    last = await member.expect("名单第 3/3 页")
    names = [b for b in last.labels() if "未评" in b]
    assert len(names) == 39 and _keyboard_ok(last)
    await member.press(names[-1], message=last)
    await member.expect("同志评议等次")
    await member.press("« 返回名单")
    back = await member.expect("名单第 3/3 页")
    assert "已评 0/119" in back.plain and _keyboard_ok(back)

    await secretary.send("/evaluation")
    panel = await secretary.expect("民主评议党员")
    await secretary.press("📊 评议结果 / 评定等次", message=panel)
    results = await secretary.expect("第 1/3 页，共 120 人")
    assert _keyboard_ok(results) and "1. " in results.plain and "41. " not in results.plain
    await secretary.press("下一页 »", message=results)
    second = await secretary.expect("第 2/3 页")
    assert "41. " in second.plain and "81. " not in second.plain and _keyboard_ok(second)
    someone = next(b for b in second.labels() if "待定" in b)
    await secretary.press(someone, message=second)
    await secretary.expect("评议结果：待定")
    await secretary.press("« 返回名单")
    await secretary.expect("第 2/3 页")
    await harness.emu.idle()
    people = {str(p.id) for p in (secretary, member)}
    assert [c.method for c in harness.emu.calls if not c.ok and str(c.params.get("chat_id")) in people] == []
