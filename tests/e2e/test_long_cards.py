"""A submission longer than a Telegram message: its review card stays one message within 4,096 characters (the start
of the text, a note, and 📄 查看全文), so approving it updates the acting approver's card and every other approver's
copy; the full text is one tap away. Nothing the bot sends is refused by the emulator's Telegram limits."""

from __future__ import annotations

from bot.domain.roles import Role
from bot.emulator.telegram_html import utf16_length
from storage import members
from tests.e2e.helpers import branch_with_members


def _text(length: int, start: int = 0) -> str:
    """Sentences numbered from `start`, `length` characters in all: any cut shows where it fell."""
    out, n = [], start
    while sum(map(len, out)) < length:
        out.append(f"第{n}句我认真学习。")
        n += 1
    return "".join(out)[:length]


async def test_a_5000_character_report_approved_updates_its_cards(harness):
    """A 5,000-character 思想汇报 (two messages): both approvers' cards are ≤ 4,096 characters with 📄 查看全文;
    通过 turns the secretary's card into ✅ 已通过 with the text still shortened and the deputy's copy likewise; the
    full text arrives whole; no request was refused."""
    secretary, (author, deputy, _) = await branch_with_members(harness)
    async with harness.svc.db.write() as db:
        await members.add_role(db, 3, Role.DEPUTY)
    first, second = _text(2500), _text(2499, start=10_000)
    await author.send("/report")
    await author.expect("请发送您的思想汇报")
    await author.send(first)
    await author.expect("已收到")
    await author.send(second)
    kept = await author.expect("已收到")
    await harness.emu.idle()
    await author.press("📤 提交", message=author.last if author.last.labels() else kept)
    await harness.drain()
    mine, theirs = await secretary.expect("思想汇报待审核"), await deputy.expect("思想汇报待审核")
    for card in (mine, theirs):
        assert utf16_length(card.plain) <= 4096 and "查看全文" in card.plain and first[:300] in card.plain
        assert "📄 查看全文" in card.labels() and "✅ 通过" in card.labels()

    await secretary.press("✅ 通过", message=mine)
    await harness.emu.idle()
    decided = harness.emu.current(secretary.id, mine.message_id)
    assert "✅ 已通过" in decided.plain and "王书记" in decided.plain and first[:300] in decided.plain
    assert decided.labels() == ["📄 查看全文"] and utf16_length(decided.plain) <= 4096
    await harness.drain()
    await harness.emu.idle()
    copy = harness.emu.current(deputy.id, theirs.message_id)
    assert "✅ 已通过" in copy.plain and copy.labels() == ["📄 查看全文"]

    before = len(deputy.messages())
    await deputy.press("📄 查看全文", message=copy)
    await harness.emu.idle()
    full = "".join(m.plain for m in deputy.messages()[before:])
    assert first in full and second in full and "思想汇报全文" in full
    people = {str(p.id) for p in (secretary, author, deputy)}
    assert [(c.method, c.error_code) for c in harness.emu.calls if not c.ok and str(c.params.get("chat_id")) in people] \
        == []
