"""Review cards opened again from /pending are kept and edited like the copies the outbox sent: a decision by
anyone, and one taken before the copy was even kept, reach them; a copy shown outside the approver's own chat is
never kept, so no card is edited into a group."""

from __future__ import annotations

from bot.domain.review import Decision
from bot.keys import refs
from bot.services import meetings as meeting_service
from bot.services import review
from storage import submissions
from tests.support import SECRETARY_ID

GROUP_CHAT = -100_123


async def _leave(services, cast, theme_day, drainer, sender):
    member = cast.people[0]
    await meeting_service.begin_leave(services, member.telegram_id, theme_day.id)
    await meeting_service.submit_leave(services, member.telegram_id, theme_day.id, "外出学习培训")
    await drainer.drain_now()
    sender.clear()
    return await submissions.find(services.db, meeting_service.LEAVE, refs.meeting(theme_day.id), member.id)


def _edits(sender, chat_id):
    return {m.edit_message_id: m for m in sender.to(chat_id) if m.edit_message_id is not None}


async def test_a_copy_kept_after_the_decision_is_brought_up_to_date(services, cast, theme_day, drainer, sender):
    """The card is read for /pending, the secretary decides (on another copy) before the re-opened copy is kept:
    keeping it queues its edit at once, with the outcome and no buttons."""
    leave = await _leave(services, cast, theme_day, drainer, sender)
    shown = await review.resend_card(services, SECRETARY_ID, leave.id)
    await review.decide(services, SECRETARY_ID, leave.id, leave.version, Decision.APPROVE)
    await review.card_shown(services, SECRETARY_ID, shown, SECRETARY_ID, 555)
    await drainer.drain_now()
    edit = _edits(sender, SECRETARY_ID)[555]
    assert edit.template == "review/card_decided.j2" and edit.params["status"] == "approved" and not edit.buttons


async def test_deciding_from_a_kept_copy_leaves_it_to_the_caller(services, cast, theme_day, drainer, sender):
    """A decision taken on the re-opened copy (card_shown) edits every other copy through the outbox, not that one,
    which the pressing handler edits itself."""
    leave = await _leave(services, cast, theme_day, drainer, sender)
    shown = await review.resend_card(services, SECRETARY_ID, leave.id)
    await review.card_shown(services, SECRETARY_ID, shown, SECRETARY_ID, 555)
    await review.card_shown(services, SECRETARY_ID, shown, SECRETARY_ID, 556)
    await review.decide(services, SECRETARY_ID, leave.id, leave.version, Decision.APPROVE,
                        card_shown=(SECRETARY_ID, 556))
    await drainer.drain_now()
    edits = _edits(sender, SECRETARY_ID)
    assert 555 in edits and 556 not in edits and len(edits) == 2  # 555 and the card the outbox sent


async def test_a_card_shown_in_a_group_is_never_edited_there(services, cast, theme_day, drainer, sender):
    """/pending used in a group: that copy is not kept, so the decision edits nothing in the group."""
    leave = await _leave(services, cast, theme_day, drainer, sender)
    shown = await review.resend_card(services, SECRETARY_ID, leave.id)
    await review.card_shown(services, SECRETARY_ID, shown, GROUP_CHAT, 777)
    await review.decide(services, SECRETARY_ID, leave.id, leave.version, Decision.APPROVE)
    await drainer.drain_now()
    assert sender.to(GROUP_CHAT) == []
    assert _edits(sender, SECRETARY_ID)  # the secretary's own card still follows
