"""Drafting in chat, shared by every handed-in kind: a thought report of text, a photo and a file; 👀 预览 shows the
photo and the file and then the text as the reviewer will see it; 🗑 清空重写 starts again; a 提交 button sent
before drafting was shared still hands the draft in."""

from __future__ import annotations

from storage import submissions
from tests.e2e.helpers import branch_with_members


async def test_a_report_with_a_photo_and_a_file_is_previewed_cleared_and_handed_in(harness):
    """/report, a line, a photo, a PDF: 预览 sends the photo and the file first, then the card body; 清空重写 drops
    them all; written again, the earlier rp:s button data hands it in, and the secretary gets the card."""
    secretary, (a,) = await branch_with_members(harness, names=("孙丽",))
    await a.send("/report")
    await a.expect("请发送您的思想汇报")
    await a.send("认真学习了党章。")
    await a.expect("已收到")
    await a.send_photo(caption="手写稿")
    await a.send_document(b"%PDF-1.4 report", "心得.pdf", "application/pdf")
    kept = await a.expect("文件 1 个")
    assert "照片 1 张" in kept.plain and {"📤 提交", "👀 预览", "🗑 清空重写"} <= set(kept.labels())

    await a.press("👀 预览", message=kept)
    preview = await a.expect("思想汇报预览")
    assert "认真学习了党章。\n手写稿" in preview.plain and "附图 1 张" in preview.plain and "文件 1 个" in preview.plain
    sent = [m.kind for m in a.messages() if m.from_bot and m.kind in ("photo", "document")]
    assert sent == ["photo", "document"]

    await a.press("🗑 清空重写", message=preview)
    await a.expect("请发送您的思想汇报")
    draft = (await submissions.by_author(harness.svc.db, 2, "report"))[0]
    assert draft.content["text"] == "" and not await submissions.files(harness.svc.db, draft.id)

    await a.send("重新写：这个季度认真学习了党章。")
    written = await a.expect("已收到")
    answer = await a.press_data(written.message_id, f"rp:s:{draft.id}")
    assert "思想汇报已提交" in answer.text
    await a.expect("请等待审核")
    await harness.drain()
    card = await secretary.expect("思想汇报待审核")
    assert "重新写" in card.plain and "附图" not in card.plain
