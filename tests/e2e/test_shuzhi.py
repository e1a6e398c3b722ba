"""述职评议 end to end: the county officer opens the year's round for two branches; each secretary drafts and hands
in the 述职, the officer grades, comments and sends each branch a 问题清单 of two problems; one problem goes through
plan → evidence → 销号, the other stays open, is checked in the next quarter and is listed again in next year's
述职 — and evidence for a closed problem, or a member's press on the officer's card, changes nothing. The unit's
述职评议 register, from /export and from `zhibu export shuzhi --unit`, reads back as the round stands."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import openpyxl

from bot.domain.followup import FollowupStatus, ItemKind
from bot.domain.shuzhi import Grade
from bot.services import membership, units
from storage import followups, members
from storage import shuzhi as shuzhi_store
from storage import units as unit_store
from tests.e2e.helpers import SECRETARY_ID, branch_with_members, data_rows, documents

OFFICER = 7001
SECOND_SECRETARY = 1002


async def county_with_two_branches(harness) -> int:
    """城关镇党委 (officer 7001) over 第一党支部 (secretary 1001) and 第二党支部 (secretary 1002); the unit's id."""
    svc = harness.svc
    unit = await units.create_unit(svc, "城关镇党委", None, "党委")
    await units.add_officer(svc, unit.id, OFFICER, "刘志强")
    second, _, _ = await membership.create_branch(svc, "第二党支部", SECOND_SECRETARY, "张书记")
    first = (await members.by_telegram_id(svc.db, SECRETARY_ID)).branch_id
    async with svc.db.write() as db:
        await unit_store.place_branch(db, first, unit.id)
        await unit_store.place_branch(db, second.id, unit.id)
    zhang = harness.emu.user(SECOND_SECRETARY, "张")
    await zhang.send("/start")
    await zhang.expect("您好")
    return unit.id


async def open_round(harness, officer, year: int) -> None:
    """/shuzhi → 发起 → 评定等次 → 14 天内, then the round's notices go out."""
    await officer.send("/shuzhi")
    home = await officer.expect("党建述职评议")
    await officer.press(f"🗂 发起城关镇党委{year}年度述职评议", message=home)
    await officer.expect("是否评定等次")
    await officer.press("评定等次")
    await officer.expect("请选择述职的提交期限")
    answer = await officer.press("14 天内")
    assert "已通知各支部书记" in answer.text
    await harness.drain()


async def hand_in(harness, person, officer, opening: str, label: str, text: str, *, button_on=None) -> None:
    """The person presses `opening` (on `button_on`, else the newest message with it), writes `text`, submits; the
    officer gets the card of `label` and approves it."""
    await person.press(opening, message=button_on)
    await person.expect("发完后")
    await person.send(text)
    await person.expect("已保存")
    await person.press("📤 提交")
    await harness.drain()
    card = await officer.expect(f"{label}待审核")
    assert text in card.plain
    await officer.press("✅ 通过", message=card)
    await harness.drain()


async def judge(harness, officer, branch: str, grade: str, comment: str, problems: str) -> None:
    """From the round: the branch's card, its grade, the 点评 and the 问题清单, sent."""
    await officer.send("/shuzhi")
    await officer.press("🗂 城关镇党委2026年度述职评议", message=await officer.expect("党建述职评议"))
    listing = await officer.expect(f"{branch}：已通过")
    await officer.press(branch, message=listing)
    await officer.expect(f"{branch} · 2026年度述职")
    await officer.press(grade)
    await officer.press("✍️ 点评")
    await officer.expect(f"请发送对{branch}述职的点评")
    await officer.send(comment)
    card = await officer.expect(f"点评：{comment}")
    assert f"等次：{grade}" in card.plain
    await officer.press("➕ 问题清单", message=card)
    await officer.expect("一行一个问题")
    await officer.send(problems)
    card = await officer.expect("问题清单（未发出）")
    assert "2. " in card.plain
    answer = await officer.press("📤 发出问题清单（2 条）", message=card)
    assert "问题清单已发出" in answer.text
    await harness.drain()


async def first_closed_second_open(harness, secretary, officer) -> None:
    """Problem 1: its plan approved, then the material for 销号 approved; problem 2's plan is never handed in."""
    listed = await secretary.expect("问题清单")
    assert "请针对每个问题" in listed.plain
    await hand_in(harness, secretary, officer, "✍️ 问题1：整改方案", "整改方案", "每月检查一次会议记录。",
                  button_on=listed)
    await secretary.send("/shuzhi")
    own = await secretary.expect("本支部")
    assert "问题1：" in own.plain and "整改中" in own.plain and "待提交整改方案" in own.plain
    await hand_in(harness, secretary, officer, "📎 问题1：提交整改材料", "整改材料", "已补齐全年会议记录。",
                  button_on=own)
    await secretary.send("/shuzhi")
    own = await secretary.expect("本支部")
    assert "已销号" in own.plain and own.button("📎 问题1：提交整改材料") is None
    assert own.button("✍️ 问题2：整改方案") is not None


async def test_a_shuzhi_round_follows_its_problems_into_the_next_year(harness):
    """Two branches each hand in a 述职, get a grade, a comment and two problems; problem 1 of each is 销号 on
    evidence, problem 2 of each stays open: the officer's quarterly check in January lists both, and the 2027 round
    tells each secretary of the one problem carried over and lists it again on the officer's card; the registers of
    2026 and 2027 list each branch's problems and where they stand."""
    secretary, (member,) = await branch_with_members(harness, names=("李红梅",))
    unit_id = await county_with_two_branches(harness)
    officer, zhang = harness.emu.user(OFFICER, "刘"), harness.emu.user(SECOND_SECRETARY, "张")

    await member.send("/shuzhi")
    assert "只对上级党组织管理员和支部书记开放" in (await member.expect("抱歉")).plain
    await open_round(harness, officer, 2026)
    for person, text in ((secretary, "第一党支部全年落实三会一课。"), (zhang, "第二党支部全年开展主题党日十二次。")):
        notice = await person.expect("2026年度党建述职评议")
        assert "2026年12月7日 前提交" in notice.plain
        await hand_in(harness, person, officer, "✍️ 写2026年度述职", "述职", text, button_on=notice)

    await judge(harness, officer, "第一党支部", "较好", "三会一课较规范，记录需完善。", "1. 会议记录不完整\n2. 党费收缴不及时")
    card = officer.last
    refused = await member.press_data(card.message_id, card.button("一般").data)
    assert "需要上级党组织" in refused.text and "管理权限" in refused.text
    cycle = await shuzhi_store.cycle_for(harness.svc.db, unit_id, 2026)
    assert [r.grade for r in await shuzhi_store.reports_of(harness.svc.db, cycle.id)] == [Grade.FAIR, None]
    await first_closed_second_open(harness, secretary, officer)
    await judge(harness, officer, "第二党支部", "一般", "主题党日形式单一。", "（一）学习形式单一\n（二）发展党员程序不规范")
    await first_closed_second_open(harness, zhang, officer)

    evidence_button = next(m for m in secretary.messages() if m.button("📎 问题1：提交整改材料") is not None)
    refused = await secretary.press("📎 问题1：提交整改材料", message=evidence_button)
    assert "已经销号" in refused.text
    items = await followups.open_in_units(harness.svc.db, [unit_id], ItemKind.PROBLEM)
    assert sorted(i.reason for i in items) == ["党费收缴不及时", "发展党员程序不规范"]
    assert all(i.status is FollowupStatus.OPEN for i in items)

    harness.clock.set(datetime(2027, 1, 4, 1, 0, tzinfo=UTC))  # 09:00 on the first working day of 2027Q1
    await harness.drain()
    await harness.drain()
    check = await officer.expect("2027年第1季度整改检查")
    assert "还有 2 个问题未销号" in check.plain
    await officer.press("📋 未销号的问题", message=check)
    open_list = await officer.expect("未销号的问题（共 2 条")
    assert "第一党支部 问题2：党费收缴不及时" in open_list.plain and "第二党支部 问题2" in open_list.plain

    harness.clock.set(datetime(2027, 11, 22, 2, 0, tzinfo=UTC))
    await open_round(harness, officer, 2027)
    notice = await secretary.expect("2027年度党建述职评议")
    assert "上年度还有 1 个问题未销号" in notice.plain
    await secretary.press("✍️ 写2027年度述职", message=notice)
    asked = await secretary.expect("上年度延续的问题")
    assert "党费收缴不及时" in asked.plain
    await officer.press("第一党支部", message=await officer.expect("城关镇党委2027年度述职评议"))
    card = await officer.expect("第一党支部 · 2027年度述职")
    assert "延续到本年度的问题" in card.plain and "党费收缴不及时" in card.plain
    assert "会议记录不完整" not in card.plain

    await officer.send("/export shuzhi 2026")
    (sent,) = await documents(officer, 1)
    assert sent.file_name == "城关镇党委_述职评议登记表_2026.xlsx"
    rows = data_rows(openpyxl.load_workbook(BytesIO(harness.emu.file(sent.file_id).content))["述职评议"])
    assert [(r[0], r[1], r[2], r[3], r[5], r[6], r[8]) for r in rows] == [
        ("第一党支部", "王书记", "已通过", "较好", 1, "会议记录不完整", "已销号"),
        ("第一党支部", "王书记", "已通过", "较好", 2, "党费收缴不及时", "待提交整改方案"),
        ("第二党支部", "张书记", "已通过", "一般", 1, "学习形式单一", "已销号"),
        ("第二党支部", "张书记", "已通过", "一般", 2, "发展党员程序不规范", "待提交整改方案")]
    done = await harness.cli("export", "shuzhi", "--unit", str(unit_id), "--period", "2027")
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(harness.settings.db.parent / "城关镇党委_述职评议登记表_2027.xlsx")
    assert [(r[0], r[2], r[5], r[6]) for r in data_rows(book["述职评议"])] == [
        ("第一党支部", "撰写中", 2, "（上年度延续）党费收缴不及时"),
        ("第二党支部", "未提交", 2, "（上年度延续）发展党员程序不规范")]
