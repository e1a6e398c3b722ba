"""Notices through the use cases: one copy per recipient with 已读, live read counts, and the automatic nudge
that the drainer skips for whoever has read."""

from __future__ import annotations

import pytest

from bot.domain.outbox import OutboxStatus
from bot.errors import UserError
from bot.services import notices
from storage import outbox
from tests.support import SECRETARY_ID

BODY = "本周五下午3点在村委会会议室学习二十大精神，请准时参加。"


async def test_notice_read_counts_and_the_nudge_skips_readers(services, cast, drainer, sender, clock):
    """A sent notice reaches every member with a 已读 button and counts 0 / 3; a reader moves it to 1 / 3 (a second
    tap and a non-recipient change nothing); after the nudge delay only the unread are nudged — the reader's
    nudge is skipped by its relevance check, not sent."""
    reader, *others = cast.people
    await notices.begin(services, SECRETARY_ID)
    draft = await notices.draft(services, SECRETARY_ID, BODY, None, None)
    sent = await notices.send(services, SECRETARY_ID, draft.id)
    assert sent.recipients == 3 and (sent.counts.read, sent.counts.total) == (0, 3)

    await drainer.drain_now()
    for person in cast.people:
        [copy] = [m for m in sender.to(person.telegram_id) if m.template == "notices/notice.j2"]
        assert copy.params["body"] == BODY
        assert [b.data for row in copy.buttons for b in row] == [f"nt:r:{draft.id}"]
    assert not [m for m in sender.to(SECRETARY_ID) if m.template == "notices/notice.j2"]  # the author is not sent one

    read = await notices.mark_read(services, reader.telegram_id, draft.id)
    assert read.newly_read and (read.counts.read, read.counts.total) == (1, 3)
    again = await notices.mark_read(services, reader.telegram_id, draft.id)
    assert not again.newly_read and again.counts.read == 1
    with pytest.raises(UserError):  # the author is not a recipient
        await notices.mark_read(services, SECRETARY_ID, draft.id)
    status = await notices.status(services, SECRETARY_ID, draft.id)
    assert status.counts.read == 1 and sorted(status.unread_names) == sorted(m.name for m in others)

    sender.clear()
    clock.advance(days=3)
    await drainer.drain_now()
    nudged = {chat for chat, message in sender.sent if message.template == "notices/nudge.j2"}
    assert nudged == {m.telegram_id for m in others}
    skipped = await outbox.get(services.db, f"notice:{draft.id}:nudge-auto:member:{reader.id}")
    assert skipped.status is OutboxStatus.SKIPPED


async def test_a_notice_is_sent_once(services, cast):
    """Sending the same draft twice (a double tap on 发送) queues the copies once."""
    draft = await notices.draft(services, SECRETARY_ID, BODY, None, None)
    await notices.send(services, SECRETARY_ID, draft.id)
    with pytest.raises(UserError):
        await notices.send(services, SECRETARY_ID, draft.id)
    copies = await outbox.by_prefix(services.db, f"notice:{draft.id}:member:")
    assert len(copies) == 3
