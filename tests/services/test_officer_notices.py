"""Officers' notices on the receipts-and-nudges core shared with branch notices: receipts for the subtree's
recipients, 已读 by recipients only, and 催读 — which branch notices had alone before — reaching only those who have
not read it, carrying 已读 and the unit's name, skipped for anyone who reads before it goes out."""

from __future__ import annotations

import pytest

from bot.domain.outbox import OutboxStatus
from bot.errors import UserError
from bot.services import officer_notices, units
from storage import outbox
from storage import units as unit_store
from tests.support import SECRETARY_ID

OFFICER_ID = 7001


async def _sent(services, cast):
    """The branch under 城关镇党委, whose officer sends a notice to 全体党员 of the subtree."""
    async with services.db.write() as db:
        unit = await unit_store.create(db, "城关镇党委", 1, services.now(), "党委")
        await unit_store.place_branch(db, cast.branch_id, unit.id)
    await units.add_officer(services, unit.id, OFFICER_ID, "刘志强")
    await officer_notices.begin(services, OFFICER_ID)
    notice = await officer_notices.draft(services, OFFICER_ID, "刘志强", "请本周五前报送学习计划。", {"unit_id": unit.id})
    await officer_notices.preview(services, OFFICER_ID, notice.id, "members")
    sent = await officer_notices.send(services, OFFICER_ID, notice.id)
    return notice, sent


async def test_officer_nudge_reaches_only_the_unread(services, cast, drainer, sender):
    """Four recipients (the secretary and three members); one reads; 催读 queues three reminders with 已读 and the
    unit's name; one more reads before the drain, so two go out and that one is skipped; a member may not nudge."""
    notice, sent = await _sent(services, cast)
    assert sent.recipients == 4
    reader, late, *_ = cast.people
    assert await officer_notices.mark_read(services, reader.telegram_id, notice.id) is True
    assert await officer_notices.mark_read(services, reader.telegram_id, notice.id) is False
    await drainer.drain_now()
    sender.clear()

    assert await officer_notices.nudge_unread(services, OFFICER_ID, notice.id) == 3
    await officer_notices.mark_read(services, late.telegram_id, notice.id)
    await drainer.drain_now()
    nudged = {chat: m for chat, m in sender.sent if m.template == "notices/nudge.j2"}
    assert set(nudged) == {SECRETARY_ID, cast.people[2].telegram_id}
    reminder = nudged[SECRETARY_ID]
    assert reminder.params["unit"] == "城关镇党委" and [b.data for r in reminder.buttons for b in r] == \
        [f"ov:r:{notice.id}"]
    [skipped] = [row for row in await outbox.by_prefix(services.db, f"onotice:{notice.id}:nudge@")
                 if row.member_id == late.id]
    assert skipped.status is OutboxStatus.SKIPPED

    reads = await officer_notices.reads(services, OFFICER_ID, notice.id)
    assert (reads.read, reads.recipients) == (2, 4)
    with pytest.raises(UserError):
        await officer_notices.nudge_unread(services, reader.telegram_id, notice.id)
