"""The county governs, end to end: a 镇党委's policy (组织生活会 each half-year, set in /policy with two taps) makes
/overview judge its branch by it, and the secretary cannot relax it in /settings (not offered; forged data
refused) and is told of it once; a unit's unified theme reaches its branch, which sees whose it is; an inspector
reads /overview and the unit's registers, is refused every write, and is refused everything once removed."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import openpyxl

from bot.domain import policy as rules
from bot.domain.branch_settings import choices
from bot.domain.meetings import MeetingKind
from bot.services import policy, units
from storage import audit, branches, conversations
from storage import inspectors as inspector_store
from storage import units as unit_store
from tests.e2e.helpers import SECRETARY_ID, create_branch, data_rows, documents, join

OFFICER, INSPECTOR = 7001, 7101


async def _town(harness, days_old: int = 0) -> tuple[int, int]:
    """城关镇党委 (officer 7001) over 第一党支部, made `days_old` days ago with its secretary 1001."""
    today = harness.clock.now()
    harness.clock.set(today - timedelta(days=days_old))
    await create_branch(harness)
    harness.clock.set(today)
    svc = harness.svc
    town = await units.create_unit(svc, "城关镇党委", None, "党委")
    await units.add_officer(svc, town.id, OFFICER, "刘志强")
    branch = (await branches.every(svc.db))[0]
    async with svc.db.write() as db:
        await unit_store.place_branch(db, branch.id, town.id)
    return town.id, branch.id


async def _life_line(officer) -> str:
    await officer.send("/overview")
    page = await officer.expect("支部总览")
    await officer.press(next(label for label in page.labels() if "第一党支部" in label), message=page)
    card = await officer.expect("三会一课（本季度）")
    return next(line for line in card.plain.splitlines() if line.startswith("· 组织生活会"))


async def test_a_towns_policy_judges_its_branch_and_the_secretary_cannot_relax_it(harness):
    """The branch (since January) is judged yearly: 组织生活会 ⏳. The town's officer sets 每半年 1 次 in /policy
    (setting, then value); /overview's card now judges it half-yearly — ⚠️, naming the rule and the town. The
    secretary's /settings names the town's rule and offers nothing laxer (no 每年 1 次, no 不要求); a forged press
    of 每年 1 次 is refused and changes nothing. Five quiet minutes later the secretary is told once."""
    _, branch_id = await _town(harness, days_old=300)
    officer = harness.emu.user(OFFICER, "刘志强")
    assert "（每年 1 次，县委组织部）：⏳ 本期待开" in await _life_line(officer)

    await officer.send("/policy")
    card = await officer.expect("城关镇党委 · 组织生活规定")
    assert "组织生活会：每年 1 次（县委组织部·默认）" in card.plain
    await officer.press("组织生活会：每年 1 次", message=card)
    options = await officer.expect("城关镇党委 · 组织生活会")
    assert "不要求" not in options.labels() and "✅ 每年 1 次" in options.labels()
    answer = await officer.press("每半年 1 次", message=options)
    assert "每年 1 次 → 每半年 1 次" in answer.text
    assert "组织生活会：每半年 1 次（城关镇党委）" in (await officer.expect("组织生活规定")).plain
    assert "（每半年 1 次，城关镇党委）：⚠️ 期已过半，尚未安排" in await _life_line(officer)

    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/settings")
    settings = await secretary.expect("支部设置")
    assert "城关镇党委：组织生活会 每半年 1 次" in settings.plain
    await secretary.press("组织生活会：每半年 1 次", message=settings)
    offered = await secretary.expect("请选择")
    assert "✅ 每半年 1 次" in offered.labels() and "每季度 1 次" in offered.labels()
    assert not {"每年 1 次", "每年 2 次", "不要求"} & set(offered.labels())
    laxer = [c.code for c in choices("cadence_life")].index("year_1")
    forged = await secretary.press_data(offered.message_id, f"st:s:cadence_life:{laxer}")
    assert "城关镇党委规定" in forged.text and "不能放宽" in forged.text
    assert (await policy.rules_of(harness.svc.db, branch_id)).cadences[MeetingKind.LIFE].per == "half"
    assert not [e for e in await audit.for_branch(harness.svc.db, branch_id) if e.action == "meetings.rules"]

    harness.clock.set(harness.clock.now() + timedelta(minutes=6))
    await harness.drain()
    told = await secretary.expect("城关镇党委调整了组织生活规定")
    assert "组织生活会：每年 1 次 → 每半年 1 次" in told.plain
    await harness.drain()
    assert len([t for t in secretary.texts() if "调整了组织生活规定" in t]) == 1


async def test_a_towns_theme_reaches_its_branch_which_sees_whose_it_is(harness):
    """The town's officer picks a month with a button and types the theme; the branch's /themeday shows it as the
    town's unified theme; a forged press for a month long gone is refused."""
    town_id, _ = await _town(harness)
    await harness.drain()
    officer = harness.emu.user(OFFICER, "刘志强")
    await officer.send("/policy")
    card = await officer.expect("组织生活规定")
    await officer.press("📌 统一主题", message=card)
    months = await officer.expect("统一主题")
    stale = await officer.press_data(months.message_id, f"po:m:{town_id}:202501")
    assert "已不能设定" in stale.text
    await officer.press("2026年12月", message=months)
    await officer.expect("统一主题（100 字以内）")
    await officer.send("学习贯彻全会精神，争做新时代合格党员")
    done = await officer.expect("已设定")
    assert "城关镇党委" in done.plain and "1 个支部" in done.plain
    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/themeday")
    view = await secretary.expect("规则：")
    assert "学习贯彻全会精神，争做新时代合格党员（城关镇党委统一主题）" in view.plain


async def test_an_inspector_reads_everything_and_changes_nothing(harness):
    """The town's officer adds an inspector in /units (👁 巡查人员, ➕, the id). The inspector's /overview lists the
    branch with no 发通知, opens its card and gets the unit's attendance register; /policy shows no buttons to
    change; every forged write — a notice, a policy value, adding an officer or inspector — gets the read-only
    answer and writes nothing; the branch's /audit shows the inspector's reads. Removed, the inspector is refused."""
    town_id, branch_id = await _town(harness)
    await join(harness, harness.emu.user(2001, "李红梅"), "李红梅")
    officer = harness.emu.user(OFFICER, "刘志强")
    await officer.send("/units")
    await officer.press("👁 巡查人员", message=await officer.expect("城关镇党委"))
    await officer.press("➕ 添加巡查人员", message=await officer.expect("巡查人员"))
    await officer.expect("请发送对方的 Telegram 数字 ID")
    await officer.send(str(INSPECTOR))
    assert "已添加 7101 为 城关镇党委 的巡查人员" in (await officer.expect("巡查人员（只读）")).plain

    inspector = harness.emu.user(INSPECTOR, "巡查组张三")
    await inspector.send("/overview")
    page = await inspector.expect("支部总览")
    assert "第一党支部" in page.plain and "📢 发通知" not in page.labels()
    await inspector.press(next(label for label in page.labels() if "第一党支部" in label), message=page)
    await inspector.expect("三会一课（本季度）")
    await inspector.send("/export attendance 2026")
    (register,) = await documents(inspector, 1)
    rows = data_rows(openpyxl.load_workbook(BytesIO(harness.emu.file(register.file_id).content))["考勤汇总"])
    assert ("第一党支部", "李红梅") in {r[:2] for r in rows}
    await inspector.send("/policy")
    card = await inspector.expect("只能查看")
    assert card.labels() == []

    life = rules.FIELDS.index("cadence_life")
    writes = ("ov:n", f"po:s:{town_id}:{life}:4", f"po:u:{town_id}:{life}", f"po:m:{town_id}:202612", f"po:t:{town_id}",
              f"un:a:{town_id}", f"un:l:{town_id}", f"un:R:{town_id}:{OFFICER}", f"isp:a:{town_id}",
              f"isp:r:{town_id}:{INSPECTOR}", "cal:go")
    for data in writes:
        refused = await inspector.press_data(card.message_id, data)
        assert "巡查人员，只能查看" in refused.text, data
    assert [o.telegram_id for o in await unit_store.officers_of(harness.svc.db, town_id)] == [OFFICER]
    assert [i.telegram_id for i in await inspector_store.of_unit(harness.svc.db, town_id)] == [INSPECTOR]
    assert await conversations.get(harness.svc.db, INSPECTOR) is None  # no form was begun for the next message
    assert (await policy.unit_rulings(harness.svc.db, town_id))["cadence_life"].is_default

    secretary = harness.emu.user(SECRETARY_ID, "王")
    await secretary.send("/audit")
    assert "城关镇党委巡查：巡查查看" in (await secretary.expect("操作记录")).plain

    await officer.send("/units")
    await officer.press("👁 巡查人员", message=await officer.expect("城关镇党委"))
    await officer.press(f"移除 {INSPECTOR}", message=await officer.expect("巡查人员"))
    await inspector.send("/overview")
    await inspector.expect("需要上级党组织")


async def test_the_command_line_sets_and_shows_a_policy_and_adds_an_inspector(harness):
    """`zhibu unit policy` sets the town's 组织生活会 and due day; `show` prints each setting with its source; a laxer
    value for a unit under the town is refused (exit 2, nothing changed); `zhibu unit inspector add` makes a reader
    whose /overview lists the branch, and `list` names them."""
    town_id, branch_id = await _town(harness)
    done = await harness.cli("unit", "policy", "--unit", "城关镇党委", "--cadence", "life=half", "--theme-due-day", "5")
    assert done.returncode == 0, done.stderr
    shown = await harness.cli("unit", "policy", "show", "--unit", str(town_id))
    lines = {line.split()[0]: line for line in shown.stdout.splitlines() if line.startswith("  ")}
    assert lines["cadence_life"].endswith("每半年 1 次  <- 城关镇党委")
    assert lines["theme_due_day"].endswith("每月 5 日前  <- 城关镇党委")
    assert lines["cadence_lecture"].endswith("<- 县委组织部 (default)")
    village = await units.create_unit(harness.svc, "东村党总支", "城关镇党委", "党总支")
    laxer = await harness.cli("unit", "policy", "--unit", str(village.id), "--cadence", "life=year")
    assert laxer.returncode == 2 and "不能放宽" in laxer.stderr
    assert (await policy.unit_rulings(harness.svc.db, village.id))["cadence_life"].unit_id == town_id
    assert (await policy.rules_of(harness.svc.db, branch_id)).cadences[MeetingKind.LIFE].per == "half"

    added = await harness.cli("unit", "inspector", "add", "--unit", "城关镇党委", "--telegram-id", str(INSPECTOR),
                              "--name", "张三")
    assert added.returncode == 0, added.stderr
    assert f"{INSPECTOR}  张三" in (await harness.cli("unit", "inspector", "list", "--unit", str(town_id))).stdout
    inspector = harness.emu.user(INSPECTOR, "张三")
    await inspector.send("/overview")
    assert "第一党支部" in (await inspector.expect("支部总览")).plain
