"""Tasks from above (材料报送) end to end: 城关镇党委's officer writes a task with a template file and issues it to its
three branches; the first branch's secretary hands in text, a photo and a file, is sent back with a reason and
hands in again, approved; the second is approved at once; the third is reminded by 催办 (once a day) and shown as
missing; forged presses for another unit or task are refused, a closed task takes nothing more; and
`zhibu export tasks` writes one ZIP holding the material and an index openpyxl reads."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from io import BytesIO

import openpyxl

from bot.services import membership, units
from storage import submissions
from storage import units as unit_store
from tests.e2e.helpers import PDF, branch_with_members, data_rows, hand_in, issue_task

OFFICER, OTHER_OFFICER = 7001, 7002
SECOND, THIRD, STRANGER = 1002, 1003, 1004


async def _three_branches(harness):
    """第一党支部 (with a member), 第二党支部 and 第三党支部 under 城关镇党委 (officer 7001); 河西党支部 under
    河西镇党委 (officer 7002). Every secretary has opened the bot."""
    first, _ = await branch_with_members(harness, names=("李红梅",))
    svc = harness.svc
    town = await units.create_unit(svc, "城关镇党委", None, "党委")
    river = await units.create_unit(svc, "河西镇党委", None, "党委")
    await units.add_officer(svc, town.id, OFFICER, "刘志强")
    await units.add_officer(svc, river.id, OTHER_OFFICER, "陈河西")
    people = {}
    for telegram_id, name, secretary, unit in ((SECOND, "第二党支部", "张书记", town), (THIRD, "第三党支部", "赵书记", town),
                                               (STRANGER, "河西党支部", "黄书记", river)):
        branch, _, _ = await membership.create_branch(svc, name, telegram_id, secretary)
        async with svc.db.write() as db:
            await unit_store.place_branch(db, branch.id, unit.id)
        people[telegram_id] = harness.emu.user(telegram_id, secretary[0])
        await people[telegram_id].send("/start")
        await people[telegram_id].expect("您好")
    async with svc.db.write() as db:
        await unit_store.place_branch(db, 1, town.id)
    return town.id, first, people[SECOND], people[THIRD], people[STRANGER]


async def test_a_task_to_three_branches_from_issue_to_export(harness):
    """Issue → two hand in (one returned, fixed, approved) → 催办 the third (a second 催办 the same day tells no one)
    → forged presses refused → close → the ZIP and its index."""
    town, first, second, third, stranger = await _three_branches(harness)
    officer, other = harness.emu.user(OFFICER, "刘"), harness.emu.user(OTHER_OFFICER, "陈")
    await issue_task(harness, officer)

    await harness.drain()
    for secretary in (first, second, third):
        notice = await secretary.expect("上级报送任务")
        assert "2026年下半年党建工作总结" in notice.plain and "📤 提交材料" in notice.labels()
        assert "总结模板.docx" in notice.plain
        assert [m.file_name for m in secretary.messages() if m.kind == "document"] == ["总结模板.docx"]
    assert not [m for m in stranger.messages() if "上级报送任务" in m.plain]

    # 第一党支部: text, a photo and a file; sent back with a reason; fixed and approved.
    await hand_in(first, "上半年共开展主题党日6次。", photo=True, file=(PDF, "总结.pdf"))
    await harness.drain()
    card = await officer.expect("报送材料待审核")
    assert "提交人：王书记（第一党支部）" in card.plain and "任务：2026年下半年党建工作总结" in card.plain
    assert [m.file_name for m in officer.messages() if m.kind == "document"][-1] == "总结.pdf"
    forged = await first.press_data(card.message_id, f"rv:ok:{_sid(card)}:1")
    assert "您本人的事项" in forged.text
    await officer.press("↩️ 退回修改", message=card)
    await officer.expect("退回修改的意见")
    await officer.send("请补充党员发展情况")
    await harness.drain()
    returned = await first.expect("退回修改")
    assert "请补充党员发展情况" in returned.plain and "/tasks" in returned.plain
    await first.send("/tasks")
    mine = await first.expect("上级布置的报送任务")
    assert "已退回修改（意见：请补充党员发展情况）" in mine.plain
    await first.press("📤 提交材料", message=mine)
    asked = await first.expect("修改意见：请补充党员发展情况")
    assert "已收到" in asked.plain
    await first.send("下半年发展党员2名。")
    await first.expect("已保存")
    await first.press("📤 提交")
    await first.expect("已提交")
    await harness.drain()
    await officer.press("✅ 通过", message=await officer.expect("第 2 次提交"))

    await hand_in(second, "第二党支部工作总结全文。")
    await harness.drain()
    await officer.press("✅ 通过", message=await officer.expect("提交人：张书记（第二党支部）"))

    # The officer's card: the third branch is missing; 催办 reaches it once today.
    await officer.send("/tasks")
    listed = await officer.expect("报送任务")
    await officer.press("📋 2026年下半年党建工作总结（1 个未交）", message=listed)
    view = await officer.expect("报送情况")
    assert "已通过 2 · 待审核 0 · 已退回 0 · 未报送 1" in view.plain and "未报送：第三党支部" in view.plain
    refused = await other.press_data(view.message_id, "tk:u:1")
    assert "不在您的管辖范围" in refused.text
    refused = await third.press_data(view.message_id, "tk:u:1")
    assert "管理权限" in refused.text
    await officer.press("📣 催办未交（1）", message=view)
    assert "已催办 1 个支部：第三党支部" in (await officer.expect("已催办")).plain
    await harness.drain()
    urged = await third.expect("催办")
    assert "城关镇党委请尽快报送「2026年下半年党建工作总结」" in urged.plain and "📤 提交材料" in urged.labels()
    await officer.press("📣 催办未交（1）")
    assert "今天已催办过的不再重复：第三党支部" in (await officer.expect("不再重复")).plain
    await harness.drain()
    assert len([m for m in third.messages() if "催办" in m.plain]) == 1

    refused = await stranger.press_data(urged.message_id, "tk:h:1")
    assert "没有发给您所在的党支部" in refused.text
    refused = await first.press_data(urged.message_id, "tk:h:999")
    assert "已过期" in refused.text or "失效" in refused.text

    await officer.press("⏹ 结束任务")
    await officer.press("⏹ 确认结束", message=await officer.expect("确认结束吗"))
    closed = await officer.expect("已结束")
    assert "未报送：第三党支部" in closed.plain
    late = await third.press("📤 提交材料", message=urged)
    assert "已经结束" in late.text

    done = await harness.cli("export", "tasks", "--unit", str(town), "--task", "1")
    assert done.returncode == 0, done.stderr
    written = harness.settings.db.parent / "城关镇党委_2026年下半年党建工作总结（报送材料）_任务1.zip"
    assert f"wrote {written.name}" in done.stdout and written.stat().st_mode & 0o777 == 0o600
    archive = zipfile.ZipFile(written)
    names = archive.namelist()
    assert names[0] == "报送情况一览.xlsx"
    assert {"01_第一党支部/材料正文.txt", "01_第一党支部/总结.pdf", "01_第一党支部/照片1.jpg",
            "02_第二党支部/材料正文.txt"} <= set(names)
    assert not [n for n in names if n.startswith("03_")]
    assert archive.read("01_第一党支部/总结.pdf") == PDF
    assert "下半年发展党员2名。" in archive.read("01_第一党支部/材料正文.txt").decode()
    rows = data_rows(openpyxl.load_workbook(BytesIO(archive.read("报送情况一览.xlsx")))["报送情况"])
    assert [(r[1], r[3], r[4]) for r in rows] == [("第一党支部", "已通过", "王书记"), ("第二党支部", "已通过", "张书记"),
                                                  ("第三党支部", "未报送", None)]
    assert rows[0][6] == "刘志强" and rows[0][9] == "照片1.jpg、总结.pdf"
    assert "总结模板.docx" not in " ".join(names)  # the officer's template is no branch's material


def _sid(card) -> int:
    """The submission id under a review card's buttons (rv:ok:<id>:<version>)."""
    return int(next(d for d in card.buttons_data() if d.startswith("rv:ok:")).split(":")[2])


async def test_nothing_is_handed_in_twice_nor_before_the_task_is_checked(harness):
    """A member (not an approver) cannot open the draft; the draft's text waits in storage until 提交."""
    town, first, second, third, stranger = await _three_branches(harness)
    officer = harness.emu.user(OFFICER, "刘")
    await issue_task(harness, officer)
    await harness.drain()
    member = harness.emu.user(2001, "李")
    refused = await member.press_data((await first.expect("上级报送任务")).message_id, "tk:h:1")
    assert "权限" in refused.text
    await first.press("📤 提交材料")
    await first.expect("报送材料")
    await first.send("草稿内容")
    await first.expect("已保存")
    [draft] = await submissions.for_ref(harness.svc.db, "task", "task:1")
    assert draft.status == "draft" and draft.content["text"] == "草稿内容"


async def test_reminders_before_the_deadline_and_overdue_tasks_in_the_digests_and_overview(harness):
    """Three days before the last day only the branches still missing are reminded; after it, the missing
    branch's daily digest names the task, the officer's weekly digest lists it with the branches missing, and
    /overview counts it and names it on the branch's card."""
    town, first, second, third, stranger = await _three_branches(harness)
    officer = harness.emu.user(OFFICER, "刘")
    await issue_task(harness, officer)
    await harness.drain()
    await hand_in(first, "第一党支部工作总结。")
    await harness.drain()
    await officer.press("✅ 通过", message=await officer.expect("报送材料待审核"))

    harness.clock.set(datetime(2026, 12, 17, 1, 5, tzinfo=UTC))  # 09:05 on 12月17日, three days before
    await harness.drain()
    for secretary in (second, third):
        reminded = await secretary.expect("报送提醒")
        assert "将于 2026年12月20日 截止（还有 3 天）" in reminded.plain and "📤 提交材料" in reminded.labels()
    await harness.emu.idle()
    assert not [m for m in first.messages() if "报送提醒" in m.plain]

    await hand_in(second, "第二党支部工作总结。")
    harness.clock.set(datetime(2026, 12, 21, 1, 0, tzinfo=UTC))  # Monday 09:00, the day after the last day
    await harness.drain()
    digest = await third.expect("报送任务已过截止日期")
    assert "「2026年下半年党建工作总结」" in digest.plain
    weekly = await officer.expect("报送任务逾期未交")
    assert "「2026年下半年党建工作总结」：1 个支部未交（第三党支部）" in weekly.plain
    await officer.send("/overview")
    page = await officer.expect("支部总览")
    assert "报送任务逾期未交：1 个支部次" in page.plain
    await officer.press("第三党支部", message=page)
    card = await officer.expect("报送任务逾期未交：2026年下半年党建工作总结")
    assert "第三党支部" in card.plain
