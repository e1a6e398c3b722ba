"""民主生活会's storage: a meeting a unit hosts lives beside the branches' meetings without ever being read as one;
its team, its people's states and its record each move once."""

from datetime import timedelta

from bot.domain.life_meeting import Presence
from bot.domain.meetings import MeetingKind
from storage import branches, meetings, units
from storage import life_meetings as store


async def _both(db, clock):
    """A branch's meeting and a unit's, both over by an hour; the unit's team of two (one 列席, no Telegram)."""
    now = clock.now()
    branch = await branches.create(db, "一支部", now)
    unit = await units.create(db, "城关镇党委", 1, now, "党委")
    start = now - timedelta(hours=3)
    ours = await meetings.create(db, branch_id=branch.id, kind=MeetingKind.ASSEMBLY, starts_at=start,
                                 ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=now)
    theirs = await store.create(db, unit_id=unit.id, title="专题民主生活会", place="会议室", starts_at=start,
                                ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=now)
    liu = await store.add_person(db, unit_id=unit.id, name="刘志强", telegram_id=41, votes=True, by=41, now=now)
    zhou = await store.add_person(db, unit_id=unit.id, name="周主任", telegram_id=None, votes=False, by=41, now=now)
    await store.invite(db, theirs.id, [liu.id, zhou.id], now)
    return branch, unit, ours, theirs, liu, zhou


async def test_branch_reads_never_see_a_unit_meeting(db, clock):
    """By id, upcoming, due to close, by period and in a member's history the branch code finds only its own
    meeting; the unit's read finds only the unit's."""
    branch, unit, ours, theirs, *_ = await _both(db, clock)
    earlier = clock.now() - timedelta(days=1)
    assert await meetings.get(db, theirs.id) is None
    assert [m.id for m in await meetings.due_to_close(db, clock.now())] == [ours.id]
    assert [m.id for m in await meetings.all_upcoming(db, earlier)] == [ours.id]
    assert await meetings.upcoming_ids(db, earlier) == [ours.id]
    assert [m.id for m in await meetings.in_branch(db, branch.id)] == [ours.id]
    assert await store.get(db, ours.id) is None
    assert [m.id for m in await store.due_to_close(db, clock.now())] == [theirs.id]
    assert [m.id for m in await store.of_unit(db, unit.id)] == [theirs.id]


async def test_states_move_once_and_the_close_marks_the_rest_absent(db, clock):
    """Leave asked → approved once; a statement is kept only on approved leave; the close makes everyone unsettled
    absent, and runs once; the record is kept once."""
    _, _, _, theirs, liu, zhou = await _both(db, clock)
    now = clock.now()
    assert not await store.save_statement(db, theirs.id, liu.id, "书面发言内容", now)
    assert await store.move(db, theirs.id, liu.id, Presence.LEAVE_ASKED, only_from=[Presence.INVITED], now=now,
                            reason="培训")
    assert await store.move(db, theirs.id, liu.id, Presence.ON_LEAVE, only_from=[Presence.LEAVE_ASKED], now=now,
                            decided_by=42)
    assert not await store.move(db, theirs.id, liu.id, Presence.LEAVE_REFUSED, only_from=[Presence.LEAVE_ASKED],
                                now=now, decided_by=42)
    assert await store.save_statement(db, theirs.id, liu.id, "书面发言内容", now)
    assert await store.close(db, theirs.id, now)
    assert not await store.close(db, theirs.id, now)
    people = {p.name: p for p in await store.invitees(db, theirs.id)}
    assert (people["刘志强"].status, people["刘志强"].reason, people["刘志强"].decided_by) == (Presence.ON_LEAVE, "培训", 42)
    assert people["周主任"].status is Presence.ABSENT and people["周主任"].votes is False
    assert await store.save_minutes(db, theirs.id, content="情况", criticism="无", by=41, now=now)
    assert not await store.save_minutes(db, theirs.id, content="又一次", criticism="无", by=41, now=now)
    assert (await store.minutes_of(db, theirs.id)).content == "情况"


async def test_one_name_per_team_until_removed(db, clock):
    """A second person of the same name is refused; once removed, the name may be used again."""
    _, unit, _, _, liu, _ = await _both(db, clock)
    now = clock.now()
    assert await store.add_person(db, unit_id=unit.id, name="刘志强", telegram_id=None, votes=True, by=41,
                                  now=now) is None
    assert await store.remove_person(db, liu.id, now)
    assert not await store.remove_person(db, liu.id, now)
    assert await store.person(db, liu.id) is None
    again = await store.add_person(db, unit_id=unit.id, name="刘志强", telegram_id=41, votes=True, by=41, now=now)
    assert again is not None and [p.name for p in await store.team_of(db, unit.id)] == ["刘志强", "周主任"]


async def test_a_persons_meetings_ahead_carry_their_own_state(db, clock):
    """The meetings a person is asked to and not over yet come with that person's state (not the meeting's status);
    once over, or for someone not asked, none."""
    _, _, _, theirs, liu, _ = await _both(db, clock)
    before = clock.now() - timedelta(hours=4)
    await store.move(db, theirs.id, liu.id, Presence.CHECKED_IN, only_from=[Presence.INVITED], now=before)
    [(meeting, mine)] = await store.upcoming_for(db, 41, before)
    assert (meeting.id, meeting.status, mine.status, mine.name) == (theirs.id, "scheduled", Presence.CHECKED_IN, "刘志强")
    assert await store.upcoming_for(db, 41, clock.now()) == []
    assert await store.upcoming_for(db, 99, before) == []
