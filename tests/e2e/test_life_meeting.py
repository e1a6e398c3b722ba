"""民主生活会 end to end: a unit's officer keeps the leadership team (two officers with a vote, a non-party leader
who 列席 with Telegram, one without), schedules the meeting (details → preview → 发布); an officer on the team asks
for leave, the other officer approves it (not he himself), he is asked at once for the written statement and hands
it in before the start; the meeting reads it; the others check in; after the close the record's criticism of the
absentee reaches him privately and nobody else. Refusals along the way change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.callbacks import life as cb
from bot.services import units
from storage import life_meetings as store
from tests.e2e.helpers import SECRETARY_ID, create_branch

LIU, CHEN, ZHANG, OUTSIDER = 4101, 4102, 4103, 4104


async def unit_with_officers(harness) -> int:
    svc = harness.svc
    unit = await units.create_unit(svc, "城关镇党委", None, "党委")
    await units.add_officer(svc, unit.id, LIU, "刘志强")
    await units.add_officer(svc, unit.id, CHEN, "陈明")
    return unit.id


async def keep_team(liu) -> None:
    """/shenghuohui → 👥 the officers join → ➕ 列席 张县长 with an id, 周主任 without; a bad line and a name twice are
    refused."""
    await liu.send("/shenghuohui")
    view = await liu.expect("民主生活会 · 城关镇党委")
    assert "2026年下半年：尚未安排民主生活会" in view.plain
    await liu.press("👥 本单位管理员加入班子", message=view)
    view = await liu.expect("已加入班子成员：刘志强、陈明")
    assert "班子成员（参会并有表决权）：刘志强、陈明" in view.plain
    await liu.press("➕ 列席人员", message=view)
    await liu.expect("请发送列席人员的姓名")
    await liu.send("12345")
    assert "没有保存任何内容" in (await liu.expect("没有读懂")).plain
    await liu.send(f"张县长 {ZHANG}")
    await liu.expect("已加入列席人员：张县长")
    await liu.press("➕ 列席人员", message=liu.last)
    await liu.send("周主任")
    view = await liu.expect("已加入列席人员：周主任")
    assert "列席人员（参会，无表决权）：张县长、周主任（无 Telegram）" in view.plain
    await liu.press("➕ 班子成员", message=view)
    await liu.send("陈明")
    assert "没有重复添加" in (await liu.expect("已经有“陈明”")).plain


async def schedule(harness, liu, unit_id: int) -> int:
    """📅 → a two-line message refused → three lines → preview → 发布; returns the meeting's id."""
    await liu.press("📅 安排民主生活会")
    await liu.expect("分三行发送")
    await liu.send("11月26日 9:00-11:30\n党委会议室")
    assert "没有发布任何内容" in (await liu.expect("请分三行发送")).plain
    await liu.send("11月20日 9:00\n党委会议室\n主题")
    await liu.expect("已经过去了")
    await liu.send("11月26日 9:00-11:30\n党委会议室\n以学铸魂、以学正风 专题民主生活会")
    preview = await liu.expect("预览 · 城关镇党委 · 民主生活会")
    assert "列席人员：张县长、周主任" in preview.plain
    await liu.press("✅ 发布", message=preview)
    card = await liu.expect("已发布，已通知 3 人")
    assert "周主任（列席）：未签到" in card.plain
    await harness.drain()
    return (await store.of_unit(harness.svc.db, unit_id))[0].id


async def person_id(harness, unit_id: int, name: str) -> int:
    return next(p.id for p in await store.team_of(harness.svc.db, unit_id) if p.name == name)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])  # the unit's meeting on both storage engines
async def test_a_minzhu_shenghuohui_with_a_statement_before_and_the_criticism_after(harness):
    """The absentee's statement is handed in before the start and shown to the meeting; the criticism recorded for
    him is conveyed to him alone after the close; the guest attends without a vote, the one without Telegram checked in
    by the officer; own-case, outsider, early,
    late and second presses are refused and change nothing; the branch beside it carries on unharmed."""
    await create_branch(harness)  # a branch beside the unit: its ticks and views never meet the unit's meeting
    unit_id = await unit_with_officers(harness)
    liu, chen = harness.emu.user(LIU, "刘"), harness.emu.user(CHEN, "陈")
    zhang, outsider = harness.emu.user(ZHANG, "张"), harness.emu.user(OUTSIDER, "路人")
    await keep_team(liu)
    meeting_id = await schedule(harness, liu, unit_id)
    chen_id = await person_id(harness, unit_id, "陈明")

    notice = await chen.expect("民主生活会通知 · 城关镇党委")
    assert "您是领导班子成员" in notice.plain
    guest_notice = await zhang.expect("民主生活会通知")
    assert "请您列席会议" in guest_notice.plain
    early = await chen.press("✅ 签到", message=notice)
    assert "还没到签到时间" in early.text
    forged = await outsider.press_data(notice.message_id, cb.checkin(meeting_id))
    assert "不在这次民主生活会的参会名单" in forged.text

    await chen.press("📝 请假", message=notice)
    await chen.expect("请发送请假事由")
    await chen.send("赴省委党校参加培训")
    await chen.expect("等待其他管理员审批")
    await harness.drain()
    leave_card = await liu.expect("陈明申请请假")
    own = await chen.press_data(notice.message_id, cb.approve(meeting_id, chen_id))
    assert "不能审批自己的请假" in own.text
    not_officer = await zhang.press_data(guest_notice.message_id, cb.approve(meeting_id, chen_id))
    assert "管理权限" in not_officer.text
    assert (await store.invitee(harness.svc.db, meeting_id, chen_id)).status.value == "leave_asked"
    await liu.press("✅ 批准", message=leave_card)
    await liu.expect("已批准 陈明的请假")
    again = await liu.press_data(leave_card.message_id, cb.refuse(meeting_id, chen_id))
    assert "已经处理过了" in again.text

    await harness.drain()
    asked = await chen.expect("您的请假已批准")
    assert "11月26日 09:00" in asked.plain
    await chen.press("✍️ 提交书面发言", message=asked)
    await chen.expect("请在一条消息里发送书面发言")
    await chen.send("太短")
    await chen.expect("书面发言太短了")
    statement = "对照检查：理论学习不够系统，调查研究不够深入。对刘志强同志的批评：下基层次数偏少。"
    await chen.send(statement)
    await chen.expect("书面发言已提交")

    harness.clock.set(datetime(2026, 11, 25, 1, 5, tzinfo=UTC))  # the day before, 09:05
    await harness.drain()
    eve = await liu.expect("明天召开民主生活会")
    assert not any("明天召开" in t or "请提交书面发言" in t for t in chen.texts()), \
        "the one on leave, his statement in, is reminded of nothing"

    harness.clock.set(datetime(2026, 11, 26, 0, 45, tzinfo=UTC))  # 08:45, check-in is open
    await liu.press("✅ 签到", message=eve)
    await liu.expect("已签到")
    await zhang.press("✅ 签到", message=guest_notice)
    assert "您列席本次会议，不参加表决" in (await zhang.expect("已签到")).plain

    harness.clock.set(datetime(2026, 11, 26, 1, 5, tzinfo=UTC))  # 09:05, started
    late = await chen.press("✍️ 提交书面发言", message=asked)
    assert "书面发言须在会前提交" in late.text
    await liu.send("/shenghuohui")  # asked to a meeting not over yet: his own part, and his unit a button away
    home = await liu.expect("我的状态：已签到")
    assert "✅ 签到 · 11月26日" in home.labels()
    await liu.press("🏛 城关镇党委", message=home)
    view = await liu.expect("最近的民主生活会")
    assert "2026年下半年：已安排 1 次民主生活会" in view.plain
    await liu.press("🗓 民主生活会 · 11月26日", message=view)
    card = await liu.expect("陈明（班子成员）：已准假")
    assert "书面发言已提交" in card.plain and "周主任（列席）：未签到" in card.plain
    zhou_id = await person_id(harness, unit_id, "周主任")
    assert "管理权限" in (await zhang.press_data(guest_notice.message_id, cb.proxy(meeting_id, zhou_id))).text
    await liu.press("✅ 代签到 · 周主任", message=card)
    card = await liu.expect("周主任（列席）：已签到")
    early_record = await liu.press_data(card.message_id, cb.record(meeting_id))
    assert "会议还没有结束" in early_record.text
    await liu.press("📄 书面发言（1 份）", message=card)
    assert statement in (await liu.expect("书面发言 · 陈明")).plain

    harness.clock.set(datetime(2026, 11, 26, 3, 45, tzinfo=UTC))  # 11:45, over
    await harness.drain()
    harness.clock.set(datetime(2026, 11, 26, 3, 56, tzinfo=UTC))
    await harness.drain()
    prompt = await liu.expect("请记录会议情况")
    assert not any("请记录会议情况" in t for t in chen.texts()), "the absentee does not keep the record"
    absent_record = await chen.press_data(notice.message_id, cb.record(meeting_id))
    assert "您没有参加这次会议" in absent_record.text
    await liu.press("📝 记录会议", message=prompt)
    await liu.expect("请发送会议情况")
    await liu.send("班子成员逐一对照检查，开展批评与自我批评；宣读了陈明同志的书面发言。")
    await liu.expect("批评意见，每行一条")
    await liu.send("随便写写")
    await liu.expect("姓名：批评意见")
    await liu.send("陈明：分管领域党风廉政建设抓得不够紧，要加强督促。\n张县长：多提意见建议。")
    done = await liu.expect("会议记录已保存")
    assert "批评意见已私下转告：陈明" in done.plain
    assert "张县长 不是缺席人员" in done.plain
    twice = await liu.press_data(prompt.message_id, cb.record(meeting_id))
    assert "已经记录过了" in twice.text

    await harness.drain()
    conveyed = await chen.expect("民主生活会的批评意见")
    assert "分管领域党风廉政建设抓得不够紧" in conveyed.plain
    assert not any("批评意见如下" in t for t in zhang.texts() + liu.texts())
    assert (await store.invitee(harness.svc.db, meeting_id, chen_id)).conveyed_at is not None
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/meeting")
    await secretary.press("已安排的会议", message=await secretary.expect("会议"))
    listed = await secretary.expect("已安排的会议")
    assert "目前没有尚未召开的会议" in listed.plain and "民主生活会" not in listed.plain
