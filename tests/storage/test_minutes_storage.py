"""Storage of 三会一课 records: staff per meeting, branch rules as JSON, one record per meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.domain.cadence import Cadence
from bot.domain.meetings import MeetingKind
from bot.domain.minutes import MeetingRules
from bot.domain.models import MemberStatus
from storage import branches, meetings, members, minutes, submissions
from tests.support import INTEGRITY_ERRORS


async def test_staff_rules_and_one_record_per_meeting(db, clock):
    """Host/recorder are saved and replaced; rules default, then round-trip; a second record for a meeting fails."""
    branch = await branches.create(db, "一支部", clock.now())
    one = await members.create(db, branch_id=branch.id, telegram_id=7, name="张三", status=MemberStatus.ACTIVE,
                               now=clock.now())
    two = await members.create(db, branch_id=branch.id, telegram_id=8, name="李四", status=MemberStatus.ACTIVE,
                               now=clock.now())
    start = clock.now() + timedelta(days=3)
    meeting = await meetings.create(db, branch_id=branch.id, kind=MeetingKind.COMMITTEE, starts_at=start,
                                    ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=clock.now())
    assert await minutes.staff_of(db, meeting.id) is None
    await minutes.set_staff(db, meeting.id, one.id, one.id, one.id, clock.now())
    await minutes.set_staff(db, meeting.id, one.id, two.id, one.id, clock.now())
    staff = await minutes.staff_of(db, meeting.id)
    assert (staff.host_id, staff.recorder_id) == (one.id, two.id)

    assert (await minutes.rules_of(db, branch.id)).minutes_working_days == 3
    rules = MeetingRules(minutes_working_days=5)
    rules.cadences[MeetingKind.LECTURE] = Cadence(per="quarter")
    await minutes.save_rules(db, branch.id, rules, clock.now())
    loaded = await minutes.rules_of(db, branch.id)
    assert loaded.minutes_working_days == 5 and loaded.cadences[MeetingKind.LECTURE].per == "quarter"

    ref = f"meeting:{meeting.id}"
    await submissions.get_or_create(db, branch_id=branch.id, author_id=one.id, kind="minutes", ref=ref, now=clock.now())
    with pytest.raises(INTEGRITY_ERRORS):
        await submissions.get_or_create(db, branch_id=branch.id, author_id=two.id, kind="minutes", ref=ref,
                                        now=clock.now())
    # Other kinds keep one row per author for the same meeting (leave, make-up).
    await submissions.get_or_create(db, branch_id=branch.id, author_id=one.id, kind="leave", ref=ref, now=clock.now())
    await submissions.get_or_create(db, branch_id=branch.id, author_id=two.id, kind="leave", ref=ref, now=clock.now())
