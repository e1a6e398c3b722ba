"""民主生活会's refusals over HTTP: a lone officer's leave is decided by the unit above, never by himself; someone
outside gets nothing; an officer of another unit cannot open the meeting; a unit meeting's id on a branch meeting's
button (and the reverse) is stale; leave after the start and an empty reason are refused; nothing changes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.callbacks import life as cb
from bot.callbacks import meetings as meetings_cb
from bot.domain.life_meeting import Presence
from bot.errors import UserError
from bot.services import life_meetings, units
from storage import life_meetings as store
from tests.e2e.helpers import SECRETARY_ID, create_branch

LONE, ABOVE, OTHER, GUEST, NOBODY = 4201, 4202, 4203, 4204, 4205


async def two_units(harness) -> tuple[int, int]:
    """县委 (officer ABOVE) over 城关镇党委 (its one officer LONE) and 河东镇党委 (officer OTHER)."""
    svc = harness.svc
    county = await units.create_unit(svc, "县直机关工委", None, "工委")
    town = await units.create_unit(svc, "城关镇党委", "县直机关工委", "党委")
    other = await units.create_unit(svc, "河东镇党委", "县直机关工委", "党委")
    await units.add_officer(svc, county.id, ABOVE, "县委干部")
    await units.add_officer(svc, town.id, LONE, "刘志强")
    await units.add_officer(svc, other.id, OTHER, "河东干部")
    return town.id, other.id


async def publish(harness, lone, unit_id: int) -> int:
    await lone.send("/shenghuohui")
    await lone.press("👥 本单位管理员加入班子", message=await lone.expect("民主生活会 · 城关镇党委"))
    await lone.press("➕ 列席人员", message=await lone.expect("已加入班子成员：刘志强"))
    await lone.send(f"张县长 {GUEST}")
    await lone.press("📅 安排民主生活会", message=await lone.expect("已加入列席人员：张县长"))
    await lone.send("11月26日 9:00-11:30\n镇会议室\n专题民主生活会")
    await lone.press("✅ 发布", message=await lone.expect("预览"))
    await lone.expect("已通知 2 人")
    await harness.drain()
    return (await store.of_unit(harness.svc.db, unit_id))[0].id


async def test_refusals_change_nothing_and_the_unit_above_decides_a_lone_officers_leave(harness):
    """The only officer's leave goes to the officer above, who approves it; his own approval, an outsider, a guest
    scheduling, another unit's officer, crossed meeting ids, a too-short reason and leave after the start are all
    refused politely, each leaving the rows as they were; the record is then asked of the officer above."""
    await create_branch(harness)
    unit_id, _ = await two_units(harness)
    lone, above, other = (harness.emu.user(i, n) for i, n in ((LONE, "刘"), (ABOVE, "县"), (OTHER, "河")))
    guest, nobody = harness.emu.user(GUEST, "张"), harness.emu.user(NOBODY, "路人")
    meeting_id = await publish(harness, lone, unit_id)

    await nobody.send("/shenghuohui")
    assert "只对上级党组织管理员和受邀参加" in (await nobody.expect("抱歉")).plain
    guest_notice = await guest.expect("民主生活会通知")
    assert "管理权限" in (await guest.press_data(guest_notice.message_id, cb.new(unit_id))).text
    assert "不在您的管辖范围" in (await other.press_data(guest_notice.message_id, cb.show(meeting_id))).text
    secretary = harness.emu.user(SECRETARY_ID, "王")
    crossed = await secretary.press_data(guest_notice.message_id, meetings_cb.checkin(meeting_id))
    assert "已失效" in crossed.text, "a unit's meeting is no branch meeting"

    notice = await lone.expect("民主生活会通知")
    await lone.press("📝 请假", message=notice)
    await lone.send("a")
    await lone.expect("请写明请假事由")
    await lone.send("赴县里参加会议")
    await lone.expect("等待其他管理员审批")
    own_id = next(p.id for p in await store.team_of(harness.svc.db, unit_id) if p.name == "刘志强")
    assert "不能审批自己的请假" in (await lone.press_data(notice.message_id, cb.approve(meeting_id, own_id))).text
    assert (await store.invitee(harness.svc.db, meeting_id, own_id)).status is Presence.LEAVE_ASKED
    await harness.drain()
    card = await above.expect("刘志强申请请假")
    assert "不在您的管辖范围" in (await other.press_data(card.message_id, cb.approve(meeting_id, own_id))).text
    await above.press("✅ 批准", message=card)
    await above.expect("已批准 刘志强的请假")
    await harness.drain()
    assert "提交书面发言" in (await lone.expect("您的请假已批准")).plain

    harness.clock.set(datetime(2026, 11, 26, 1, 5, tzinfo=UTC))  # 09:05: started
    late = await guest.press("📝 请假", message=guest_notice)
    assert "不能再请假" in late.text
    guest_row = next(p for p in await store.invitees(harness.svc.db, meeting_id) if p.name == "张县长")
    assert guest_row.status is Presence.INVITED and guest_row.reason is None

    harness.clock.set(datetime(2026, 11, 26, 3, 45, tzinfo=UTC))  # 11:45: over, closed at the next drain
    await harness.drain()
    harness.clock.set(datetime(2026, 11, 26, 3, 56, tzinfo=UTC))
    await harness.drain()
    prompt = await above.expect("请记录会议情况")
    assert prompt.button("📝 记录会议") is not None, "the officer above keeps the record the absent one cannot"
    assert not any("请记录会议情况" in t for t in lone.texts())


async def test_calling_a_meeting_off(harness):
    """An officer calls the meeting off after confirming (a guest cannot): the people asked are told, the eve's
    reminder never comes, and a 签到 on the old notice is stale; a second 确认取消 is refused."""
    unit_id, _ = await two_units(harness)
    lone, guest = harness.emu.user(LONE, "刘"), harness.emu.user(GUEST, "张")
    meeting_id = await publish(harness, lone, unit_id)
    notice = await guest.expect("民主生活会通知")
    assert "管理权限" in (await guest.press_data(notice.message_id, cb.cancel_confirmed(meeting_id))).text
    await lone.press("✖ 取消会议")  # on the card the publish left
    await lone.press("确认取消", message=await lone.expect("确定取消城关镇党委的民主生活会"))
    done = await lone.expect("已取消城关镇党委的民主生活会")
    assert "已通知 2 人" in done.plain
    again = await lone.press_data(done.message_id, cb.cancel_confirmed(meeting_id))
    assert "已失效" in again.text
    await harness.drain()
    assert "另行通知" in (await guest.expect("民主生活会取消通知")).plain
    harness.clock.set(datetime(2026, 11, 25, 1, 5, tzinfo=UTC))  # the eve
    await harness.drain()
    assert not any("明天召开" in t for t in guest.texts())
    assert "已失效" in (await guest.press("✅ 签到", message=notice)).text
    assert (await store.get(harness.svc.db, meeting_id)).status == "cancelled"


async def test_two_quick_taps_on_publish_make_one_meeting(harness):
    """发布 run twice at once: one meeting; the second finds the draft gone and is stale."""
    await create_branch(harness)
    unit_id, _ = await two_units(harness)
    lone = harness.emu.user(LONE, "刘")
    await lone.send("/shenghuohui")
    await lone.press("👥 本单位管理员加入班子", message=await lone.expect("民主生活会 · 城关镇党委"))
    await lone.press("📅 安排民主生活会", message=await lone.expect("已加入班子成员：刘志强"))
    await lone.send("11月26日 9:00-11:30\n镇会议室\n专题民主生活会")
    await lone.expect("预览")
    # Two presses' use cases at once (as two processes by webhook would run them; the chat's lock would order two
    # taps in one process): both read the draft before either writes.
    made = await asyncio.gather(life_meetings.publish(harness.svc, LONE), life_meetings.publish(harness.svc, LONE),
                                return_exceptions=True)
    assert len(await store.of_unit(harness.svc.db, unit_id)) == 1
    assert sum(isinstance(m, UserError) and m.template == "common/stale.j2" for m in made) == 1, made
