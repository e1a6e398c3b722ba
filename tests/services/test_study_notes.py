"""学习心得 through the use cases on both engines: who may write one and when, refusals that keep nothing, a rewrite
replacing the first, and the year's counts the evaluation register reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.meetings import MeetingKind, Presence
from bot.errors import UserError
from bot.services import study_notes as notes
from storage import conversations, meetings, study_notes

START = datetime(2026, 11, 26, 6, 30, tzinfo=UTC)  # 11月26日 14:30 Shanghai
YEAR = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


async def _study(services, cast, kind: MeetingKind = MeetingKind.STUDY):
    async with services.db.write() as db:
        return await meetings.create(db, branch_id=cast.branch_id, kind=kind, starts_at=START,
                                     ends_at=START + timedelta(minutes=90), checkin_opens_at=START - timedelta(minutes=30),
                                     now=services.now(), title="学习党章")


async def test_a_present_member_writes_and_rewrites_a_note(services, cast, clock):
    """Before the session nobody may write; once begun a member checked in writes, an empty text is refused and the
    form still waits, a second note replaces the first, and only the author's id is listed."""
    member = cast.people[0]
    meeting = await _study(services, cast)
    with pytest.raises(UserError) as early:
        await notes.begin(services, member.telegram_id, meeting.id)
    assert early.value.template == "study_notes/not_yet.j2"
    assert await conversations.get(services.db, member.telegram_id) is None

    clock.set(START + timedelta(minutes=5))
    async with services.db.write() as db:
        await meetings.record_presence(db, meeting.id, member.id, Presence.CHECKED_IN, None, clock.now())
    asked = await notes.begin(services, member.telegram_id, meeting.id)
    assert asked["mine"] is None and asked["max"] == notes.NOTE_MAX
    with pytest.raises(UserError) as empty:
        await notes.write(services, member.telegram_id, "   ")
    assert empty.value.template == "study_notes/empty.j2"
    assert (await conversations.get(services.db, member.telegram_id)).kind == notes.FORM
    await notes.write(services, member.telegram_id, "第一次心得")
    assert await conversations.get(services.db, member.telegram_id) is None
    await notes.begin(services, member.telegram_id, meeting.id)
    await notes.write(services, member.telegram_id, "修改后的心得")
    assert await study_notes.text_of(services.db, meeting.id, member.id) == "修改后的心得"
    assert await study_notes.authors(services.db, meeting.id) == {member.id}


async def test_absent_members_and_other_meetings_are_refused(services, cast, clock):
    """An absentee is refused until their make-up is on record; a note on a 支委会 or a typed answer without the form
    is stale; a member who made up may write."""
    absent = cast.people[1]
    meeting = await _study(services, cast)
    committee = await _study(services, cast, MeetingKind.COMMITTEE)
    clock.set(START + timedelta(hours=2))
    async with services.db.write() as db:
        await meetings.record_absences(db, meeting.id, [absent.id], clock.now())
    with pytest.raises(UserError) as refused:
        await notes.begin(services, absent.telegram_id, meeting.id)
    assert refused.value.template == "study_notes/not_attended.j2"
    with pytest.raises(UserError) as stale:
        await notes.begin(services, absent.telegram_id, committee.id)
    assert stale.value.template == "common/stale.j2"
    with pytest.raises(UserError):
        await notes.write(services, absent.telegram_id, "没有打开表单")
    assert await study_notes.authors(services.db, meeting.id) == set()

    async with services.db.write() as db:
        await meetings.mark_made_up(db, meeting.id, absent.id, clock.now())
    await notes.begin(services, absent.telegram_id, meeting.id)
    await notes.write(services, absent.telegram_id, "补学后的体会")
    assert await study_notes.authors(services.db, meeting.id) == {absent.id}


async def test_the_years_counts_for_the_register(services, cast, clock):
    """Per member: sessions on record, present, made up and notes — a 支委会 and a called-off session not counted."""
    first, second, _ = cast.people
    meeting = await _study(services, cast)
    committee = await _study(services, cast, MeetingKind.COMMITTEE)
    clock.set(START + timedelta(hours=2))
    async with services.db.write() as db:
        await meetings.record_presence(db, meeting.id, first.id, Presence.LATE, None, clock.now())
        await meetings.record_absences(db, meeting.id, [second.id], clock.now())
        await meetings.mark_made_up(db, meeting.id, second.id, clock.now())
        await meetings.record_presence(db, committee.id, first.id, Presence.CHECKED_IN, None, clock.now())
        await study_notes.save(db, meeting.id, first.id, "心得", clock.now())
    counts = await study_notes.year_attendance(services.db, cast.branch_id, *YEAR)
    assert counts == {first.id: (1, 1, 0, 1), second.id: (1, 0, 1, 0)}
    async with services.db.write() as db:
        await meetings.mark_cancelled(db, meeting.id, clock.now())
    assert await study_notes.year_attendance(services.db, cast.branch_id, *YEAR) == {}
