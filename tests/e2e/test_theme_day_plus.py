"""主题党日+ and 党小组 theme days on the emulator: a 支部党员大会 scheduled at the theme day's time is warned about
and, with one tap, held within it — one check-in prompt, one tally, one make-up, counted for both kinds; a 党小组长
holds their group's own theme day for its members, and the branch's compliance report lists it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.meetings import MeetingKind
from bot.domain.roles import Role
from bot.services import membership, partygroups
from storage import meetings, members
from tests.e2e.helpers import branch_with_members
from tests.support import SECRETARY_ID

# The default theme day (first Thursday, 09:00–11:00 Shanghai): 3 December 2026 is 01:00–03:00 UTC.
CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)
GROUP_DAY_OPENS = datetime(2026, 12, 5, 6, 35, tzinfo=UTC)  # 12月5日 15:00–17:00 Shanghai, check-in from 14:30
GROUP_DAY_OVER = datetime(2026, 12, 5, 9, 5, tzinfo=UTC)
LI, ZHAO, SUN = 2001, 2002, 2003
COMBINE = "🔗 并入12月主题党日（一次签到，分别计入）"


async def _fill(secretary, when: str, topic: str) -> None:
    """The /meeting form from its time to its preview (place, topic, host, recorder)."""
    await secretary.expect("请发送会议日期和时间")
    await secretary.send(when)
    await secretary.expect("请发送会议地点")
    await secretary.send("村委会会议室")
    await secretary.expect("请发送会议主题")
    await secretary.send(topic)
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press("李红梅")


async def test_theme_day_holding_the_assembly_is_one_check_in_counted_for_both(harness):
    """The 党员大会 typed for the theme day's hours is warned about and held within it: members get one check-in
    prompt, the absentee one make-up task, and /compliance counts the quarter's 支部党员大会 as held."""
    secretary, (a, b, c) = await branch_with_members(harness)
    await harness.drain()
    await secretary.send("/meeting")
    await secretary.press("支部党员大会", message=await secretary.expect("请选择会议类型"))
    await _fill(secretary, "12月3日上午9:00-11:00", "选举支部委员会")
    preview = await secretary.expect("会议安排预览")
    assert "与12月主题党日（12月3日（星期四）09:00–11:00）时间重叠" in preview.plain
    assert COMBINE in preview.labels() and "📤 发布" in preview.labels()
    await secretary.press(COMBINE)
    done = await secretary.expect("已并入")
    assert "12月主题党日暨支部党员大会" in done.plain and "已通知 3 位同志" in done.plain
    await harness.drain()
    told = await a.expect("同时召开支部党员大会")
    assert "12月主题党日暨支部党员大会" in told.plain
    branch_id = (await members.by_telegram_id(harness.svc.db, a.id)).branch_id
    held = await meetings.in_branch(harness.svc.db, branch_id)
    assert [(m.kind, m.held) for m in held] == [(MeetingKind.THEME_DAY, (MeetingKind.ASSEMBLY,))]
    assert [m.id for m in await meetings.in_branch(harness.svc.db, branch_id, MeetingKind.ASSEMBLY)] == [held[0].id]

    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    for person in (a, b, secretary):
        await person.press("✅ 签到", message=await person.expect("现在可以签到"))
    await harness.emu.idle()
    assert len([t for t in a.texts() if "现在可以签到" in t]) == 1  # one prompt, not one per meeting
    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    assert "12月主题党日暨支部党员大会" in tally.plain
    await c.expect("补课通知")
    await harness.emu.idle()
    assert len([t for t in c.texts() if "补课通知" in t]) == 1
    assert len([t for t in secretary.texts() if "签到汇总" in t]) == 1

    await secretary.send("/compliance")
    report = await secretary.expect("三会一课完成情况")
    assembly = report.plain.split("支部党员大会", 1)[1].split("支部委员会", 1)[0]
    assert "第四季度：🟡 已召开 1 次" in assembly



async def _groups(harness) -> None:
    """李红梅 (its 党小组长) and 赵建国 in 第一党小组, 孙丽 in 第二党小组; the secretary in none."""
    svc = harness.svc
    ids = {t: (await members.by_telegram_id(svc.db, t)).id for t in (LI, ZHAO, SUN)}
    for telegram_id, group in ((LI, "第一党小组"), (SUN, "第二党小组")):
        await partygroups.begin_new(svc, SECRETARY_ID, ids[telegram_id])
        await partygroups.new_typed(svc, SECRETARY_ID, group, {"member_id": ids[telegram_id]})
    await membership.toggle_role(svc, SECRETARY_ID, ids[LI], Role.GROUP_LEADER)
    await partygroups.put(svc, SECRETARY_ID, ids[ZHAO], 0)  # 第一党小组 sorts first


async def test_group_leader_holds_the_group_theme_day(harness):
    """A 党小组长 turns their /meeting into the group's own 主题党日: its members alone are told and asked to check
    in, the branch's own theme day stays as it was, and the secretary's /compliance lists each group's days."""
    secretary, (li, zhao, sun) = await branch_with_members(harness)
    await _groups(harness)
    await harness.drain()
    await li.send("/meeting")
    await li.press("🔁 改为：本党小组主题党日", message=await li.expect("安排党小组会"))
    await li.expect("安排第一党小组主题党日")
    await li.send("12月5日 15:00-17:00")
    await li.expect("请发送会议地点")
    await li.send("村民活动中心")
    await li.expect("请发送会议主题")
    await li.send("走访网格内困难群众")
    await li.press("李红梅", message=await li.expect("请选择主持人"))
    await li.press("赵建国", message=await li.expect("请选择记录人"))
    preview = await li.expect("会议安排预览")
    assert "类型：第一党小组主题党日" in preview.plain and "第一党小组（2 人）" in preview.plain
    assert "时间重叠" not in preview.plain
    await li.press("📤 发布")
    await li.expect("已发布")
    await harness.drain()
    told = await zhao.expect("会议通知：第一党小组主题党日")
    assert "走访网格内困难群众" in told.plain
    branch_id = (await members.by_telegram_id(harness.svc.db, LI)).branch_id
    branch_day = await meetings.for_period(harness.svc.db, branch_id, MeetingKind.THEME_DAY, "2026-12")
    assert branch_day is not None and branch_day.audience == "all"

    harness.clock.set(GROUP_DAY_OPENS)
    await harness.drain()
    for person in (zhao, li):
        opened = await person.expect("现在可以签到")
        assert "第一党小组主题党日" in opened.plain
        await person.press("✅ 签到", message=opened)
    await harness.emu.idle()
    assert not [t for t in sun.texts() + secretary.texts() if "第一党小组主题党日" in t]
    harness.clock.set(GROUP_DAY_OVER)
    await harness.drain()
    group_day = (await meetings.in_branch(harness.svc.db, branch_id, MeetingKind.THEME_DAY))[-1]
    assert group_day.group_day == "第一党小组" and group_day.status == "closed"
    assert sorted(a.status.value for a in await meetings.attendance(harness.svc.db, group_day.id)) == \
        ["checked_in", "checked_in"]

    await secretary.send("/compliance")
    report = await secretary.expect("三会一课完成情况")
    days = report.plain.split("党小组主题党日", 1)[1]
    assert "第一党小组：已开展 1 次（12月5日" in days and "第二党小组：本期未开展" in days


async def test_the_theme_day_card_holds_a_lecture_without_typing_its_time(harness):
    """同时召开 on /themeday starts /meeting with the day's time: only the 支部党员大会 and the 党课 are offered, and
    the 党课's preview offers 并入, after which the card names the day 12月主题党日暨党课."""
    secretary, _ = await branch_with_members(harness)
    await harness.drain()
    await secretary.send("/themeday")
    await secretary.press("➕ 同时召开党员大会或党课（主题党日+）", message=await secretary.expect("每月第一个星期四"))
    ask = await secretary.expect("将在主题党日中一并召开")
    assert set(ask.labels()) == {"支部党员大会", "党课"}
    await secretary.press("党课", message=ask)
    await secretary.expect("请发送会议地点")
    await secretary.send("党员活动室")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习党章")
    await secretary.press("李红梅", message=await secretary.expect("请选择主讲人"))
    await secretary.press("王书记", message=await secretary.expect("请选择主持人"))
    await secretary.press("李红梅", message=await secretary.expect("请选择记录人"))
    preview = await secretary.expect("会议安排预览")
    assert "12月3日（星期四）09:00–11:00" in preview.plain
    await secretary.press("🔗 并入12月主题党日（一次签到，分别计入）", message=preview)
    await secretary.expect("已并入")
    await secretary.send("/themeday")
    assert "12月主题党日暨党课" in (await secretary.expect("12月主题党日暨党课")).plain
