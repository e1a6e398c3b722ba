"""A 党小组长 calls off the 党小组会 of the group they lead, from their own /meeting, with the secretary's two taps
and the same effects — and nothing else: not another group's meeting, not a branch meeting, not once they no
longer lead the group."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.outbox import OutboxStatus
from bot.domain.roles import Role
from bot.services import membership, partygroups, scheduling
from storage import audit, meetings, members, outbox
from tests.e2e.helpers import branch_with_members
from tests.support import SECRETARY_ID

LI, ZHAO, SUN = 2001, 2002, 2003


async def _groups(harness) -> None:
    """李红梅 and 赵建国 in 第一党小组 (李红梅 its leader), 孙丽 in 第二党小组 and its leader."""
    svc = harness.svc
    ids = {t: (await members.by_telegram_id(svc.db, t)).id for t in (LI, ZHAO, SUN)}
    for telegram_id, group in ((LI, "第一党小组"), (SUN, "第二党小组")):
        await partygroups.begin_new(svc, SECRETARY_ID, ids[telegram_id])
        await partygroups.new_typed(svc, SECRETARY_ID, group, {"member_id": ids[telegram_id]})
        await membership.toggle_role(svc, SECRETARY_ID, ids[telegram_id], Role.GROUP_LEADER)
    await partygroups.put(svc, SECRETARY_ID, ids[ZHAO], 0)  # 第一党小组 sorts first


async def _schedule(harness, telegram_id: int, topic: str, kind: str | None = None):
    """A meeting three days ahead through the /meeting use cases: the leader's group's 党小组会, or (with `kind`)
    the secretary's meeting of that kind. 赵建国 records, 李红梅 hosts."""
    svc = harness.svc
    day = (harness.clock.now().astimezone(ZoneInfo("Asia/Shanghai")) + timedelta(days=3)).date()
    await scheduling.begin(svc, telegram_id)
    if kind:
        await scheduling.choose_kind(svc, telegram_id, kind)
    await scheduling.answer(svc, telegram_id, "when", f"{day.month}月{day.day}日 15:00-16:30")
    await scheduling.answer(svc, telegram_id, "place", "村委会")
    await scheduling.answer(svc, telegram_id, "topic", topic)
    await scheduling.choose_person(svc, telegram_id, "host", (await members.by_telegram_id(svc.db, LI)).id)
    await scheduling.choose_person(svc, telegram_id, "recorder", (await members.by_telegram_id(svc.db, ZHAO)).id)
    meeting, _, _ = await scheduling.confirm(svc, telegram_id)
    await harness.drain()
    return meeting


async def _pending(harness, meeting_id: int) -> list:
    rows = [*await outbox.by_prefix(harness.svc.db, f"meeting:{meeting_id}:"),
            *await outbox.by_prefix(harness.svc.db, f"minutes:{meeting_id}:")]
    return [r for r in rows if r.status is OutboxStatus.PENDING]


async def test_leader_cancels_their_group_meeting(harness):
    """李红梅's /meeting offers 已安排的会议, which lists her group's 党小组会 only (not the branch's 支委会); two taps
    call it off: 赵建国 is told, 孙丽 (another group) is not, the reminders and the recorder's deadline are withdrawn,
    the secretary is told that the leader did it, and the audit log names her as the actor."""
    secretary, (li, zhao, sun) = await branch_with_members(harness)
    await _groups(harness)
    committee = await _schedule(harness, SECRETARY_ID, "研究冬季慰问工作", kind="committee")
    meeting = await _schedule(harness, LI, "学习党章")
    await zhao.expect("学习党章")
    assert await _pending(harness, meeting.id)

    await li.send("/meeting")
    await li.press("已安排的会议（可取消）", message=await li.expect("安排党小组会"))
    listing = await li.expect("已安排的会议")
    assert "党小组会" in listing.plain and "支委会" not in listing.plain
    assert len(listing.labels()) == 1
    await li.press("取消", message=listing)
    await li.expect("确定取消")
    await li.press("确认取消会议")
    done = await li.expect("已取消")
    assert "已通知 1 位" in done.plain and "支部书记也已收到" in done.plain
    await harness.drain()

    told = await zhao.expect("会议取消通知")
    assert "签到、请假按钮不再有效" in told.plain and "党小组长" not in told.plain
    informed = await secretary.expect("会议取消通知")
    assert "由第一党小组党小组长李红梅取消" in informed.plain and "参会同志已收到取消通知" in informed.plain
    assert not any("会议取消通知" in text for text in sun.texts())
    assert (await meetings.get(harness.svc.db, meeting.id)).status == "cancelled"
    assert not await _pending(harness, meeting.id)
    assert (await meetings.get(harness.svc.db, committee.id)).status == "scheduled"
    li_row = await members.by_telegram_id(harness.svc.db, LI)
    (entry,) = [e for e in await audit.for_branch(harness.svc.db, li_row.branch_id)
                if e.action == "meeting.cancel"]
    assert (entry.actor_id, entry.subject, entry.detail) == (li_row.id, f"meeting:{meeting.id}",
                                                             {"group_leader_of": "第一党小组"})


async def test_forged_presses_change_nothing(harness):
    """Forged callback data: 孙丽 (leader of 第二党小组) cannot ask for or confirm the cancel of 第一党小组's meeting
    and her list does not show it; 李红梅 cannot cancel the secretary's 支委会; 赵建国 (a plain member) is refused.
    Every meeting stays scheduled with its reminders pending, and nobody is told anything."""
    secretary, (li, zhao, sun) = await branch_with_members(harness)
    await _groups(harness)
    committee = await _schedule(harness, SECRETARY_ID, "研究冬季慰问工作", kind="committee")
    meeting = await _schedule(harness, LI, "学习党章")
    notice = await zhao.expect("学习党章")

    await sun.send("/meeting")
    prompt = await sun.expect("安排党小组会")
    await sun.press("已安排的会议（可取消）", message=prompt)
    assert "目前没有尚未召开的会议" in (await sun.expect("已安排的会议")).plain
    for data in (f"mg:c:{meeting.id}", f"mg:cc:{meeting.id}", f"mg:cc:{committee.id}", "mg:cc:999"):
        assert "已失效" in (await sun.press_data(prompt.message_id, data)).text
    await li.send("/meeting")
    li_prompt = await li.expect("安排党小组会")
    for data in (f"mg:c:{committee.id}", f"mg:cc:{committee.id}"):
        assert "已失效" in (await li.press_data(li_prompt.message_id, data)).text
    refused = await zhao.press_data(notice.message_id, f"mg:cc:{meeting.id}")
    assert "权限" in refused.text
    await harness.drain()

    for planned in (meeting, committee):
        assert (await meetings.get(harness.svc.db, planned.id)).status == "scheduled"
        assert await _pending(harness, planned.id)
    for person in (secretary, li, zhao, sun):
        assert not any("会议取消通知" in text for text in person.texts())


async def test_leader_who_lost_the_role_is_refused(harness):
    """李红梅 opened the confirm while she led 第一党小组; the secretary then takes the 党小组长 role away, and her
    确认取消会议 is refused: the meeting stays scheduled, its reminders pending, nobody told. After the start, the
    leader who has the role again is told it can no longer be called off."""
    secretary, (li, zhao, sun) = await branch_with_members(harness)
    await _groups(harness)
    meeting = await _schedule(harness, LI, "学习党章")
    await li.send("/meeting")
    await li.press("已安排的会议（可取消）", message=await li.expect("安排党小组会"))
    await li.press("取消", message=await li.expect("已安排的会议"))
    confirm = await li.expect("确定取消")

    li_row = await members.by_telegram_id(harness.svc.db, LI)
    await membership.toggle_role(harness.svc, SECRETARY_ID, li_row.id, Role.GROUP_LEADER)
    refused = await li.press("确认取消会议", message=confirm)
    assert "权限" in refused.text
    await harness.drain()
    assert (await meetings.get(harness.svc.db, meeting.id)).status == "scheduled"
    assert await _pending(harness, meeting.id)
    assert not any("会议取消通知" in text for text in zhao.texts() + secretary.texts())

    await membership.toggle_role(harness.svc, SECRETARY_ID, li_row.id, Role.GROUP_LEADER)
    harness.clock.set(meeting.starts_at + timedelta(minutes=1))
    late = await li.press("确认取消会议", message=confirm)
    assert "不能再取消" in late.text
    assert (await meetings.get(harness.svc.db, meeting.id)).status == "scheduled"


async def test_leader_menu_and_help_follow_the_group(harness):
    """李红梅's menu and /help offer /meeting (安排或取消会议) while she leads 第一党小组; once the secretary puts her
    out of any group from /members, her menu and /help no longer offer it and /meeting refuses her; put back in a
    group, /meeting is offered again."""
    secretary, (li, zhao, sun) = await branch_with_members(harness)
    await _groups(harness)
    await li.send("/start")  # the role came through the use case: /start gives her the menu she has now
    await li.expect()
    assert "meeting" in [c["command"] for c in harness.emu.commands_for(LI)]
    await li.send("/help")
    assert "/meeting — 安排或取消会议" in (await li.expect("您可以")).plain

    for group_button in ("不分组", "第一党小组"):
        await secretary.send("/members")
        await secretary.press("李红梅", message=await secretary.expect("党员名册"))
        await secretary.press("👥 党小组", message=await secretary.expect("点击职务"))
        await secretary.press(group_button, message=await secretary.expect("分到哪个党小组"))
        await secretary.expect("李红梅")
        await harness.emu.idle()  # the menu is set right after the card is edited
        offered = "meeting" in [c["command"] for c in harness.emu.commands_for(LI)]
        await li.send("/help")
        listed = "/meeting" in (await li.expect("您可以")).plain
        assert offered == listed == (group_button != "不分组")
        if group_button == "不分组":
            await li.send("/meeting")
            await li.expect("权限")
    await li.send("/meeting")
    await li.expect("安排党小组会")
