"""A scheduled 三会一课 meeting can be called off: reminders withdrawn, attendees told, old buttons inert."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.outbox import OutboxStatus
from bot.domain.roles import Role
from bot.services import membership, scheduling
from storage import meetings, members, outbox
from tests.e2e.helpers import create_branch, join
from tests.support import SECRETARY_ID


async def schedule_committee(harness, recorder_id: int):
    day = (harness.clock.now().astimezone(ZoneInfo("Asia/Shanghai")) + timedelta(days=3)).date()
    svc = harness.svc
    await scheduling.begin(svc, SECRETARY_ID)
    await scheduling.choose_kind(svc, SECRETARY_ID, "committee")
    await scheduling.answer(svc, SECRETARY_ID, "when", f"{day.month}月{day.day}日 15:00-16:30")
    await scheduling.answer(svc, SECRETARY_ID, "place", "村委会会议室")
    await scheduling.answer(svc, SECRETARY_ID, "topic", "研究冬季慰问工作")
    secretary = await members.by_telegram_id(svc.db, SECRETARY_ID)
    await scheduling.choose_person(svc, SECRETARY_ID, "host", secretary.id)
    await scheduling.choose_person(svc, SECRETARY_ID, "recorder", recorder_id)
    meeting, _, _ = await scheduling.confirm(svc, SECRETARY_ID)
    return meeting


async def test_secretary_cancels_a_scheduled_meeting(harness):
    await create_branch(harness)
    organizer = harness.emu.user(2001, "组织委员")
    await join(harness, organizer, "李红梅")
    row = await members.by_telegram_id(harness.svc.db, 2001)
    await membership.toggle_role(harness.svc, SECRETARY_ID, row.id, Role.ORGANIZER)
    meeting = await schedule_committee(harness, row.id)
    await harness.drain()
    notice = await organizer.expect("研究冬季慰问工作")
    assert [r for r in await outbox.by_prefix(harness.svc.db, f"meeting:{meeting.id}:") if r.status is OutboxStatus.PENDING]

    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("已安排的会议（可取消）")
    listing = await secretary.expect("已安排的会议")
    assert "村委会会议室" in listing.plain
    forged = await organizer.press_data(notice.message_id, f"mg:cc:{meeting.id}")  # a member cannot
    assert "权限" in forged.text
    await secretary.press("取消", message=listing)
    await secretary.expect("确定取消")
    await secretary.press("确认取消会议")
    done = await secretary.expect("已取消")
    assert "1 位" in done.plain
    await harness.drain()
    await organizer.expect("会议取消通知")

    assert (await meetings.get(harness.svc.db, meeting.id)).status == "cancelled"
    pending = [r for r in await outbox.by_prefix(harness.svc.db, f"meeting:{meeting.id}:")
               if r.status is OutboxStatus.PENDING]
    assert not pending
    stale = await organizer.press("请假", message=notice)
    assert stale.text  # answered, and nothing recorded
    assert await meetings.attendance_of(harness.svc.db, meeting.id, row.id) is None
    again = await secretary.press_data(done.message_id, f"mg:cc:{meeting.id}")
    assert "不能再取消" in again.text
