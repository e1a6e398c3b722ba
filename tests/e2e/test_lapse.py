"""The six-month alarm end to end: a member absent without leave from the branch's meeting and paying no dues is
warned about to the secretary at four months and alarmed to the secretary and the unit's officer at six, with the
meeting and the months; another member's press changes nothing; the secretary's one tap records a 谈心谈话 and
resolves it, and the next day's pass does not raise it again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.meetings import MeetingKind, Presence
from bot.services import units
from storage import dues, meetings, members, talks
from storage import units as unit_store
from tests.e2e.helpers import SECRETARY_ID, branch_with_members

OFFICER = 7001
PAID = ("2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05")


async def a_missed_meeting(harness, present: list[int], absent: list[int]) -> int:
    """The branch's 11月主题党日 on 25 November, closed, the ones present and absent as given; the branch's id."""
    svc = harness.svc
    branch_id = (await members.by_telegram_id(svc.db, SECRETARY_ID)).branch_id
    start = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    async with svc.db.write() as db:
        meeting = await meetings.create(db, branch_id=branch_id, kind=MeetingKind.THEME_DAY, starts_at=start,
                                        ends_at=start + timedelta(hours=2), checkin_opens_at=start, now=svc.now(),
                                        title="11月主题党日")
        for member_id in present:
            await meetings.record_presence(db, meeting.id, member_id, Presence.CHECKED_IN, None, start)
        await meetings.record_absences(db, meeting.id, absent, start + timedelta(hours=2))
        await meetings.mark_closed(db, meeting.id, start + timedelta(hours=2))
    return branch_id


async def came_to_everything(harness, branch_id: int, member_ids: list[int]) -> None:
    """The members checked in at every meeting of the branch so far (the theme days the months bring included)."""
    svc = harness.svc
    async with svc.db.write() as db:
        for meeting in await meetings.in_branch(db, branch_id):
            for member_id in member_ids:
                await meetings.record_presence(db, meeting.id, member_id, Presence.CHECKED_IN, None,
                                               meeting.starts_at)


async def next_day(harness, branch_id: int, at: datetime, present: list[int]) -> None:
    """The clock moves to `at`; those present came to every meeting meanwhile; the day's pass runs."""
    await came_to_everything(harness, branch_id, present)
    harness.clock.set(at)
    await harness.drain()
    await harness.emu.idle()


async def test_a_lapsing_member_is_flagged_at_four_and_six_months_and_resolved_by_a_talk(harness):
    """李红梅 missed 11月主题党日 and paid nothing; 赵建国 and the secretary came and paid every month: only 李红梅 is
    flagged — at four months to the secretary (not the officer), at six to both; 赵建国's press is refused; 今天已谈心谈话
    records the talk and resolves the alarm (listed in the secretary's digest until then), a second press is answered
    as done, and the next day raises nothing."""
    secretary, (li, zhao) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    svc = harness.svc
    unit = await units.create_unit(svc, "城关镇党委", None, "党委")
    await units.add_officer(svc, unit.id, OFFICER, "刘志强")
    officer = harness.emu.user(OFFICER, "刘")
    ids = {p.id: (await members.by_telegram_id(svc.db, p.id)).id for p in (secretary, li, zhao)}
    branch_id = await a_missed_meeting(harness, [ids[SECRETARY_ID], ids[zhao.id]], [ids[li.id]])
    async with svc.db.write() as db:
        await unit_store.place_branch(db, branch_id, unit.id)
        for period in PAID:
            for member_id in (ids[SECRETARY_ID], ids[zhao.id]):
                await dues.report(db, branch_id, member_id, period, 2000, svc.now())

    present = [ids[SECRETARY_ID], ids[zhao.id]]
    await next_day(harness, branch_id, datetime(2027, 2, 22, 1, 0, tzinfo=UTC), present)  # three months: nothing
    assert not [m for m in secretary.messages() if "已连续" in m.plain]
    await next_day(harness, branch_id, datetime(2027, 3, 25, 1, 0, tzinfo=UTC), present)
    warning = await secretary.expect("第一党支部 · 李红梅：已连续 4 个月")
    assert "11月25日 11月主题党日" in warning.plain
    assert "没有交纳党费（4 个月）：2026年11月、2026年12月、2027年1月、2027年2月" in warning.plain
    assert not [m for m in officer.messages() if "已连续" in m.plain]
    assert not [m for m in secretary.messages() if "赵建国" in m.plain and "已连续" in m.plain]

    await next_day(harness, branch_id, datetime(2027, 5, 25, 1, 0, tzinfo=UTC), present)
    alarm = await secretary.expect("第一党支部 · 李红梅：已连续 6 个月")
    assert "自行脱党" in alarm.plain
    told = await officer.expect("第一党支部 · 李红梅：已连续 6 个月")
    assert "支部书记已收到同样的提醒" in told.plain and told.labels() == []
    digests = [m.plain for m in secretary.messages() if "今日待办" in m.plain]
    assert any("李红梅：已连续 4 个月，待谈心谈话或说明原因" in d for d in digests)
    refused = await zhao.press_data(alarm.message_id, alarm.button("💬 今天已谈心谈话").data)
    assert "需要支部书记" in refused.text

    await secretary.press("💬 今天已谈心谈话", message=alarm)
    assert "已记录：李红梅 — 已谈心谈话" in (await secretary.expect("已记录")).plain
    recorded = await talks.in_branch(svc.db, branch_id, date(2027, 5, 25), date(2027, 5, 26))
    assert [(t.member_id, t.talker_id) for t in recorded] == [(ids[li.id], ids[SECRETARY_ID])]
    again = await secretary.press_data(warning.message_id, warning.button("📝 有正当理由").data)
    assert "已经处理过了" in again.text

    seen = len(secretary.messages())
    await next_day(harness, branch_id, datetime(2027, 5, 26, 1, 0, tzinfo=UTC), present)
    assert not [m for m in secretary.messages()[seen:] if "已连续" in m.plain]
