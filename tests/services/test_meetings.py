"""Theme day check-in and leave through the use cases: the window decides, the secretary's review decides leave."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.meetings import Presence
from bot.domain.review import Decision, SubmissionStatus
from bot.errors import UserError
from bot.keys import refs
from bot.services import meetings as meeting_service
from bot.services import review
from storage import meetings, submissions
from tests.support import SECRETARY_ID, labels, text_of

# December's theme day: 3 December 2026, 09:00–11:00 Shanghai = 01:00–03:00 UTC; check-in opens 30 min before.
CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)
AFTER_START = datetime(2026, 12, 3, 1, 20, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)


async def test_theme_day_check_in_inside_the_window_only(services, cast, theme_day, clock):
    """Before the window a check-in is refused and records nothing; inside it the member is checked in (a second
    tap says so and changes nothing); after the start it counts as late; after the end it is refused again."""
    first, second, third = cast.people
    assert (theme_day.checkin_opens_at, theme_day.starts_at) == (CHECKIN_OPENS, datetime(2026, 12, 3, 1, 0, tzinfo=UTC))

    with pytest.raises(UserError) as too_early:
        await meeting_service.check_in(services, first.telegram_id, theme_day.id)
    assert too_early.value.template == "meetings/window.j2" and not too_early.value.params["closed"]
    assert await meetings.attendance(services.db, theme_day.id) == []

    clock.set(CHECKIN_OPENS)
    done = await meeting_service.check_in(services, first.telegram_id, theme_day.id)
    assert done.presence is Presence.CHECKED_IN and not done.already
    again = await meeting_service.check_in(services, first.telegram_id, theme_day.id)
    assert again.already and again.presence is Presence.CHECKED_IN

    clock.set(AFTER_START)
    late = await meeting_service.check_in(services, second.telegram_id, theme_day.id)
    assert late.presence is Presence.LATE

    clock.set(AFTER_END)
    with pytest.raises(UserError) as too_late:
        await meeting_service.check_in(services, third.telegram_id, theme_day.id)
    assert too_late.value.params["closed"]
    recorded = {a.member_id: a.status for a in await meetings.attendance(services.db, theme_day.id)}
    assert recorded == {first.id: Presence.CHECKED_IN, second.id: Presence.LATE}


async def test_leave_request_is_reviewed_and_approved(services, cast, theme_day, drainer, sender):
    """请假 with a reason becomes a submission whose card reaches the secretary; 批准 records the member on leave
    (not absent), tells them, and a second decision on the same version changes nothing."""
    member = cast.people[0]
    await meeting_service.begin_leave(services, member.telegram_id, theme_day.id)
    with pytest.raises(UserError):
        await meeting_service.submit_leave(services, member.telegram_id, theme_day.id, "   ")
    await meeting_service.submit_leave(services, member.telegram_id, theme_day.id, "外出学习培训")

    leave = await submissions.find(services.db, meeting_service.LEAVE, refs.meeting(theme_day.id), member.id)
    assert leave.status is SubmissionStatus.SUBMITTED and leave.content["reason"] == "外出学习培训"
    await drainer.drain_now()
    [card] = [m for m in sender.to(SECRETARY_ID) if m.template == "review/card.j2"]
    assert card.params["author"] == member.name
    assert f"rv:ok:{leave.id}:{leave.version}" in [b.data for row in card.buttons for b in row]

    with pytest.raises(UserError):  # another member may not decide it
        await review.decide(services, cast.people[1].telegram_id, leave.id, leave.version, Decision.APPROVE)
    decided = await review.decide(services, SECRETARY_ID, leave.id, leave.version, Decision.APPROVE)
    assert not decided.already and decided.submission.status is SubmissionStatus.APPROVED
    attendance = await meetings.attendance_of(services.db, theme_day.id, member.id)
    assert attendance.status is Presence.ON_LEAVE
    await drainer.drain_now()
    assert "review/decided_author.j2" in sender.templates_to(member.telegram_id)

    twice = await review.decide(services, SECRETARY_ID, leave.id, leave.version, Decision.REJECT, "不行")
    assert twice.already
    assert (await submissions.get(services.db, leave.id)).status is SubmissionStatus.APPROVED


async def test_makeup_deadline_reminder_reaches_who_has_not_submitted(services, cast, theme_day, drainer, sender,
                                                                       clock):
    """Two days before the make-up deadline, a member who has not handed it in is reminded with the button;
    once it is overdue, the secretary's daily digest lists it."""
    member = cast.people[0]
    clock.set(AFTER_END)
    await drainer.drain_now()
    sender.expect(member.telegram_id, "补课通知")
    clock.set(datetime(2026, 12, 8, 3, 0, tzinfo=UTC))
    await drainer.drain_now()
    reminder = sender.expect(member.telegram_id, "补课即将截止")
    assert "📝 提交补课材料" in labels(reminder)
    assert (await submissions.find(services.db, "makeup", f"meeting:{theme_day.id}", member.id)).status == "draft"
    clock.set(datetime(2026, 12, 11, 1, 0, tzinfo=UTC))  # past the deadline, after the 08:30 digest time
    await drainer.drain_now()
    digest = text_of(sender.expect(SECRETARY_ID, "补课逾期"))
    assert "李红梅（12月主题党日）" in digest
