"""主题党日+ and 党小组 theme days through the use cases: what may be held within a theme day and what may not, how
a held meeting is counted, and who a group's own theme day is for."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.cadence import MeetingFact
from bot.domain.meetings import MeetingKind
from bot.domain.roles import Role
from bot.errors import UserError
from bot.services import compliance, meeting_cancel, membership, minutes, scheduling, themeday
from bot.services import meetings as meeting_service
from storage import conversations, meetings, members
from tests.support import SECRETARY_ID

CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)  # December's theme day: 09:00–11:00 Shanghai on the 3rd
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)


async def _to_preview(svc, kind: MeetingKind, host, recorder, when: str = "12月3日上午9:00-11:00",
                      who: int = SECRETARY_ID) -> scheduling.Draft:
    await scheduling.begin(svc, who)
    await scheduling.choose_kind(svc, who, kind.value)
    for step, text in (("when", when), ("place", "党员活动室"), ("topic", "学习全会精神")):
        await scheduling.answer(svc, who, step, text)
    if kind is MeetingKind.LECTURE:
        await scheduling.choose_person(svc, who, "lecturer", host.id)
    await scheduling.choose_person(svc, who, "host", host.id)
    return await scheduling.choose_person(svc, who, "recorder", recorder.id)


async def _facts(svc, branch_id: int) -> list[MeetingFact]:
    return await compliance.facts_of(svc, branch_id, datetime(2026, 10, 1, tzinfo=UTC),
                                      datetime(2027, 1, 1, tzinfo=UTC), "Asia/Shanghai")


async def test_a_committee_meeting_overlapping_the_theme_day_is_warned_but_not_combined(services, cast, theme_day):
    """A 支委会 (other people) at the theme day's hours is warned about but cannot be held within it: 并入 is refused
    as stale and changes nothing — the day holds nothing, the form waits at its preview."""
    first = cast.people[0]
    draft = await _to_preview(services, MeetingKind.COMMITTEE, cast.secretary, first)
    assert [(o.meeting_id, o.combinable) for o in draft.summary["overlaps"]] == [(theme_day.id, False)]
    with pytest.raises(UserError) as refused:
        await scheduling.combine(services, SECRETARY_ID, theme_day.id)
    assert refused.value.template == "common/stale.j2"
    assert (await meetings.get(services.db, theme_day.id)).holds == ""
    assert (await conversations.get(services.db, SECRETARY_ID)).step == "preview"


async def test_held_meetings_count_for_each_kind_and_the_assembly_votes(services, cast, theme_day, clock):
    """The theme day holding a 支部党员大会 and then a 党课 is one meeting counted as three kinds; its minutes take the
    assembly's votes; the absentee owes one make-up, not one per kind."""
    first, second, third = cast.people
    await _to_preview(services, MeetingKind.ASSEMBLY, cast.secretary, first)
    held, info, _ = await scheduling.combine(services, SECRETARY_ID, theme_day.id)
    assert info["name"] == "12月主题党日暨支部党员大会" and held.id == theme_day.id
    draft = await _to_preview(services, MeetingKind.LECTURE, cast.secretary, first)
    assert [o.combinable for o in draft.summary["overlaps"]] == [True]
    held, info, _ = await scheduling.combine(services, SECRETARY_ID, theme_day.id)
    assert held.holds == "assembly,lecture" and info["name"] == "12月主题党日暨支部党员大会暨党课"
    assert len(await meetings.in_branch(services.db, cast.branch_id)) == 1
    kinds = sorted(f.kind.value for f in await _facts(services, cast.branch_id) if f.meeting_id == theme_day.id)
    assert kinds == ["assembly", "lecture", "theme_day"]

    clock.set(CHECKIN_OPENS)
    for person in (cast.secretary, first, second):
        await meeting_service.check_in(services, person.telegram_id, theme_day.id)
    clock.set(AFTER_END)
    await meeting_service.close_due(services, clock.now())
    owed = await meetings.not_made_up(services.db, cast.branch_id)
    assert [(m.id, member_id) for m, member_id in owed] == [(theme_day.id, third.id)]
    form = await minutes.open_record(services, first.telegram_id, theme_day.id)
    assert form.content["takes_votes"] and form.content["kind"] == "主题党日暨支部党员大会暨党课"


async def test_the_theme_day_card_starts_a_meeting_held_within_it(services, cast, theme_day):
    """同时召开 on /themeday: the form starts with the day's time, offers only what the day can hold, and its preview
    offers 并入; once the day holds both the 党员大会 and the 党课 the card no longer offers it."""
    first = cast.people[0]
    assert (await themeday.view(services, SECRETARY_ID)).may_hold
    draft = await scheduling.begin_within(services, SECRETARY_ID, theme_day.id)
    assert draft.step == "kind" and draft.data["when"] == {"day": "2026-12-03", "start": "09:00", "end": "11:00"}
    with pytest.raises(UserError):
        await scheduling.choose_kind(services, SECRETARY_ID, MeetingKind.LIFE.value)
    await scheduling.choose_kind(services, SECRETARY_ID, MeetingKind.ASSEMBLY.value)
    for step, text in (("place", "党员活动室"), ("topic", "选举支部委员会")):
        await scheduling.answer(services, SECRETARY_ID, step, text)
    await scheduling.choose_person(services, SECRETARY_ID, "host", cast.secretary.id)
    draft = await scheduling.choose_person(services, SECRETARY_ID, "recorder", first.id)
    assert [(o.meeting_id, o.combinable) for o in draft.summary["overlaps"]] == [(theme_day.id, True)]
    await scheduling.combine(services, SECRETARY_ID, theme_day.id)
    assert (await themeday.view(services, SECRETARY_ID)).may_hold  # the 党课 is still open to it
    await _to_preview(services, MeetingKind.LECTURE, cast.secretary, first)
    await scheduling.combine(services, SECRETARY_ID, theme_day.id)
    assert not (await themeday.view(services, SECRETARY_ID)).may_hold
    with pytest.raises(UserError):
        await scheduling.begin_within(services, SECRETARY_ID, theme_day.id)


async def test_a_group_theme_day_is_its_members_alone(services, cast, theme_day, clock):
    """The 党小组长's own theme day: the leader may not turn the form into a branch meeting; a member of another
    group is not expected and cannot check in; the branch's theme day keeps its month; the leader may call their
    group's day off, as the secretary may, but not the branch's theme day."""
    first, second, third = cast.people
    for person, group in ((first, "第一党小组"), (second, "第一党小组"), (third, "第二党小组")):
        async with services.db.write() as db:
            await members.set_party_group(db, person.id, group, clock.now())
    await membership.toggle_role(services, SECRETARY_ID, first.id, Role.GROUP_LEADER)
    await scheduling.begin(services, first.telegram_id)
    with pytest.raises(UserError):
        await scheduling.choose_kind(services, first.telegram_id, MeetingKind.ASSEMBLY.value)
    draft = await scheduling.choose_kind(services, first.telegram_id, MeetingKind.THEME_DAY.value)
    assert draft.summary["kind"] == "第一党小组主题党日" and draft.summary["count"] == 2
    for step, text in (("when", "12月5日 15:00-17:00"), ("place", "村民活动中心"), ("topic", "网格走访")):
        await scheduling.answer(services, first.telegram_id, step, text)
    await scheduling.choose_person(services, first.telegram_id, "host", first.id)
    await scheduling.choose_person(services, first.telegram_id, "recorder", second.id)
    day, info, told = await scheduling.confirm(services, first.telegram_id)
    assert (day.kind, day.period, day.group_day, told) == (MeetingKind.THEME_DAY, None, "第一党小组", 1)
    assert info["name"] == "第一党小组主题党日"

    clock.set(datetime(2026, 12, 5, 6, 45, tzinfo=UTC))
    with pytest.raises(UserError) as outsider:
        await meeting_service.check_in(services, third.telegram_id, day.id)
    assert outsider.value.template == "meetings/not_expected.j2"
    assert (await meeting_service.check_in(services, second.telegram_id, day.id)).presence.value == "checked_in"
    assert (await meetings.for_period(services.db, cast.branch_id, MeetingKind.THEME_DAY, "2026-12")).id == theme_day.id
    offered = [m.id for m, _ in await meeting_cancel.upcoming(services, first.telegram_id)]
    assert offered == [day.id] and not meeting_cancel.may_cancel(theme_day, cast.branch_id, "第一党小组")
    assert meeting_cancel.may_cancel(day, cast.branch_id, "第一党小组") and meeting_cancel.may_cancel(day, cast.branch_id, None)
    assert not meeting_cancel.may_cancel(day, cast.branch_id, "第二党小组")
