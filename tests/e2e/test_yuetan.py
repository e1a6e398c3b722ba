"""约谈 end to end: an officer schedules a talk with a branch's secretary (by name, a reason of the seed's, time and place); the
secretary gets the advance notice and the eve's reminder, the branch's members hear nothing; after the talk the
officer records it and the rectification; the secretary is reminded of the written report, the officers hear when it
is overdue, the report handed in late is approved and closes the item; the year's count shows on the secretary's
述职 card; the register reads back with openpyxl."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import openpyxl

from bot.domain.followup import FollowupStatus, ItemKind
from bot.services import units
from storage import followups, members
from storage import units as unit_store
from tests.e2e.helpers import SECRETARY_ID, branch_with_members, data_rows, documents

OFFICER = 7001


async def unit_over_branch(harness) -> int:
    svc = harness.svc
    unit = await units.create_unit(svc, "城关镇党委", None, "党委")
    await units.add_officer(svc, unit.id, OFFICER, "刘志强")
    branch_id = (await members.by_telegram_id(svc.db, SECRETARY_ID)).branch_id
    async with svc.db.write() as db:
        await unit_store.place_branch(db, branch_id, unit.id)
    return unit.id


async def schedule(harness, officer) -> None:
    """/yuetan → 安排约谈 → 王 → 王书记 → 组织生活不正常、不规范 → time, place and a line of reason."""
    await officer.send("/yuetan")
    home = await officer.expect("约谈 · 2026年")
    assert "本年度没有约谈" in home.plain
    await officer.press("➕ 安排约谈（城关镇党委）", message=home)
    await officer.expect("请发送被约谈人的姓名")
    await officer.send("王")
    await officer.press("王书记（第一党支部）", message=await officer.expect("请选择被约谈人"))
    await officer.press("组织生活不正常、不规范", message=await officer.expect("请选择约谈事由"))
    await officer.expect("请在一条消息里分行发送")
    await officer.send("下午3点")
    assert "请分行发送" in (await officer.expect("没有保存任何内容")).plain
    await officer.send("11月25日下午3点\n党委会议室\n连续三个月未参加主题党日")
    card = await officer.expect("约谈 · 第一党支部 · 王书记")
    assert "时间：11月25日 15:00" in card.plain and "地点：党委会议室" in card.plain
    assert "事由：组织生活不正常、不规范（连续三个月未参加主题党日）" in card.plain
    await harness.drain()


async def test_a_yuetan_from_notice_to_the_approved_report(harness):
    """The notice and the eve's reminder reach the secretary only; the record asks for a report within a month; the
    secretary is reminded 7 days before, the officer hears it is overdue, the late report is approved and closes the
    item, a second press is refused; the members are refused or told nothing; the officer's 述职 card of the branch
    shows the secretary's one 约谈 of the year."""
    secretary, (li, zhao) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    unit_id = await unit_over_branch(harness)
    officer = harness.emu.user(OFFICER, "刘")
    await schedule(harness, officer)
    notice = await secretary.expect("约谈预告")
    assert "城关镇党委定于 11月25日 15:00 在 党委会议室 与您进行约谈" in notice.plain
    card = officer.last
    refused = await zhao.press_data(card.message_id, card.button("📝 记录约谈情况").data)
    assert "需要上级党组织" in refused.text
    await zhao.send("/yuetan")
    assert "只对上级党组织管理员和被约谈本人开放" in (await zhao.expect("抱歉")).plain

    harness.clock.set(datetime(2026, 11, 24, 7, 5, tzinfo=UTC))  # 15:05 the day before
    await harness.drain()
    assert "党委会议室" in (await secretary.expect("约谈提醒")).plain
    harness.clock.set(datetime(2026, 11, 25, 8, 5, tzinfo=UTC))  # 16:05, an hour after it began
    await harness.drain()
    prompt = await officer.expect("应已结束")
    await officer.press("📝 记录约谈情况", message=prompt)
    await officer.expect("请发送约谈情况")
    await officer.send("本人承认近三个月未参加组织生活，表示今后按时参加。")
    await officer.expect("请发送整改要求")
    await officer.send("按时参加主题党日，补学三次学习内容。")
    card = await officer.expect("约谈情况：本人承认")
    assert "整改报告：整改报告待提交，2026年12月25日 前提交" in card.plain
    await harness.drain()
    asked = await secretary.expect("约谈整改要求")
    assert "请于 2026年12月25日 前提交书面整改报告" in asked.plain

    harness.clock.set(datetime(2026, 12, 18, 1, 5, tzinfo=UTC))  # 09:05, 7 days before
    await harness.drain()
    reminder = await secretary.expect("书面整改报告还有 7 天截止")
    harness.clock.set(datetime(2026, 12, 26, 1, 5, tzinfo=UTC))  # 09:05 the day after the deadline
    await harness.drain()
    overdue = await officer.expect("约谈整改报告逾期未交")
    assert "第一党支部 · 王书记" in overdue.plain
    await secretary.press("📝 提交整改报告", message=reminder)
    await secretary.expect("约谈整改报告")
    await secretary.send("已参加12月主题党日，补学三次，学习笔记附后。")
    await secretary.expect("已保存")
    await secretary.press("📤 提交")
    await harness.drain()
    review = await officer.expect("约谈整改报告待审核")
    assert "补学三次" in review.plain
    await officer.press("✅ 通过", message=review)
    await harness.drain()
    (item,) = await followups.of_member(harness.svc.db, (await members.by_telegram_id(harness.svc.db, SECRETARY_ID)).id,
                                        ItemKind.YUETAN)
    assert item.status is FollowupStatus.CLOSED
    again = await secretary.press("📝 提交整改报告", message=reminder)
    assert "已经审核通过" in again.text
    assert not [m for m in li.messages() if "约谈" in m.plain]
    assert not [m for m in zhao.messages() if "约谈" in m.plain and "抱歉" not in m.plain]

    await officer.send("/export yuetan 2026")
    (sent,) = await documents(officer, 1)
    assert sent.file_name == "城关镇党委_约谈登记表_2026.xlsx"
    rows = data_rows(openpyxl.load_workbook(BytesIO(harness.emu.file(sent.file_id).content))["约谈登记"])
    assert [(r[0], r[1], r[2].strftime("%m-%d %H:%M"), *r[3:]) for r in rows] == [
        ("第一党支部", "王书记", "11-25 15:00", "党委会议室", "组织生活不正常、不规范（连续三个月未参加主题党日）", "已约谈",
         "本人承认近三个月未参加组织生活，表示今后按时参加。", "按时参加主题党日，补学三次学习内容。", "整改报告已通过")]
    done = await harness.cli("export", "yuetan", "--unit", str(unit_id), "--period", "2026")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(harness.settings.db.parent / "城关镇党委_约谈登记表_2026.xlsx")
    assert [r[1] for r in data_rows(book["约谈登记"])] == ["王书记"]

    await officer.send("/shuzhi")
    await officer.press("🗂 发起城关镇党委2026年度述职评议", message=await officer.expect("党建述职评议"))
    await officer.press("评定等次", message=await officer.expect("是否评定等次"))
    await officer.press("14 天内", message=await officer.expect("请选择述职的提交期限"))
    await officer.press("第一党支部", message=await officer.expect("城关镇党委2026年度述职评议"))
    assert "书记：王书记（本年度被约谈 1 次）" in (await officer.expect("第一党支部 · 2026年度述职")).plain
