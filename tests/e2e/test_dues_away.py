"""党费 on the theme day, standing leave (/away), a theme day moved off National Day, and the theme due by the 5th —
on the emulator, from the reminders' buttons to the records."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from openpyxl import load_workbook

from bot.domain.calendar import ThemeDaySettings
from bot.domain.models import MemberStatus
from bot.domain.roles import Role
from storage import audit, branches, meetings, members, outbox, themeday
from tests.e2e.helpers import branch_with_members, create_branch, data_rows, header_row, join
from tests.support import SECRETARY_ID

# The default rule (first Thursday, 09:00–11:00 Shanghai): 3 December 2026 is 01:00–03:00 UTC.
THREE_DAYS_BEFORE = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)
NEXT_DIGEST = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 local, after the 08:30 digest time
PAID = "💴 已交党费"


async def _with_theme(harness):
    secretary, people = await branch_with_members(harness)
    await harness.drain()
    await secretary.send("/themeday")
    await secretary.press("✏️ 设置主题")
    await secretary.send("学习党章")
    await secretary.expect("已修改")
    return secretary, people


async def test_dues_reported_from_the_reminder_confirmed_paid_by_another_unpaid_in_digest_and_register(harness):
    """The theme-day reminder carries 已交党费; the member's report reaches the 组织委员 and the secretary, who confirm
    it; 代缴 names who paid for a member; the one who paid nothing is in the digest after the day; the amount set
    from /members shows in the yearly register."""
    secretary, (a, b, c) = await _with_theme(harness)
    async with harness.svc.db.write() as db:
        await members.add_role(db, 3, Role.ORGANIZER)  # 赵建国 collects the dues
    await secretary.send("/members")
    await secretary.expect("名册")
    await secretary.press("孙丽")
    card = await secretary.expect("孙丽")
    await secretary.press("💴 党费标准（未设）", message=card)
    await secretary.expect("每月应交的党费")
    await secretary.send("一块钱")
    await secretary.expect("没看懂这个金额")
    await secretary.send("12.5")
    assert "12.50 元" in (await secretary.expect("每月党费已设为")).plain

    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    reminder = await c.expect("还有 3 天")
    assert PAID in reminder.labels()
    await c.press(PAID)
    await c.expect("已记下")
    await c.press(PAID)
    await c.expect("已报告交纳")  # a second tap records nothing new
    await harness.drain()
    organizer_card = await b.expect("孙丽 报告已交2026年12月党费")
    assert "（12.50 元）\n收到后请点" in organizer_card.plain  # the amount's line is not glued to the next
    secretary_card = await secretary.expect("孙丽 报告已交")
    assert organizer_card.labels() == secretary_card.labels() == ["✅ 确认收到 12.50 元"]  # the amount in the tap
    answer = await b.press("✅ 确认收到 12.50 元", message=organizer_card)
    assert "已确认收到 12.50 元" in answer.text
    mine = await b.expect("已确认收到 12.50 元")
    assert mine.message_id == organizer_card.message_id and mine.labels() == ["↩️ 撤销确认"]
    await harness.drain()
    assert "（12.50 元）已由赵建国确认收到" in (await c.expect("确认收到")).plain
    # Every collector's copy shows it: the secretary's card, its button gone.
    theirs = harness.emu.current(secretary.id, secretary_card.message_id)
    assert "已由赵建国确认收到 12.50 元" in theirs.plain and not theirs.labels()

    # 撤销确认 (audited): the report waits again, on every card, and 孙丽 is told.
    await b.press("↩️ 撤销确认", message=mine)
    again = await b.expect("孙丽 报告已交")
    assert again.message_id == organizer_card.message_id and again.labels() == ["✅ 确认收到 12.50 元"]
    await harness.drain()
    assert "撤销" in (await c.expect("撤销")).plain
    assert harness.emu.current(secretary.id, secretary_card.message_id).labels() == ["✅ 确认收到 12.50 元"]
    sun = await members.by_telegram_id(harness.svc.db, c.id)
    logged = [e.action for e in await audit.for_branch(harness.svc.db, sun.branch_id) if e.action.startswith("dues.")]
    assert {"dues.confirm", "dues.unconfirm"} <= set(logged)
    await b.press("✅ 确认收到 12.50 元", message=again)
    await b.expect("已确认收到 12.50 元")

    await a.send("/dues")
    await a.expect("权限")
    await secretary.send("/dues 2026-12")
    listing = await secretary.expect("不经手任何付款")
    assert "孙丽（12.50 元）：✅ 已收" in listing.plain and "赵建国：未交" in listing.plain
    assert "✅ 赵建国" not in listing.labels() and "📥 记为已收：赵建国" in listing.labels()  # no look of "paid"
    await secretary.press("代缴：赵建国", message=listing)
    await secretary.expect("请发送为赵建国代缴")
    await secretary.send("赵建国的爱人")
    await secretary.expect("（赵建国的爱人代缴）")

    harness.clock.set(AFTER_END)
    await harness.drain()
    harness.clock.set(NEXT_DIGEST)
    await harness.drain()
    digest = await secretary.expect("党费未交")
    assert "2026年12月未交 2 人：王书记、李红梅" in digest.plain

    await secretary.send("/export dues 2026")
    document = await secretary.expect("党费交纳登记表")
    sheet = load_workbook(BytesIO(harness.emu.file(document.file_id).content))["党费登记"]
    by_name = {row[0]: row for row in data_rows(sheet)}
    assert by_name["孙丽"][1] == 12.5 and by_name["孙丽"][13] == 12.5 and by_name["孙丽"][14] == 1
    assert by_name["赵建国"][13] == "√*" and by_name["李红梅"][13] is None
    assert any("赵建国 12月由赵建国的爱人代缴" in str(row[0]) for row in data_rows(sheet))  # the note under the table


async def test_organizer_sets_the_standard_reports_default_to_it_and_a_different_amount_is_flagged(harness):
    """The 组织委员 (not the secretary) sets a member's standard from /dues in two taps and the amount; a plain member
    may not; the member's 已交党费 records the standard; 报其他金额 records another amount, which the collectors'
    card and /dues flag against the standard; the audit log has the setting; the register shows the standard and
    the year's expected total beside what was received."""
    secretary, (a, b, c) = await _with_theme(harness)
    async with harness.svc.db.write() as db:
        await members.add_role(db, 3, Role.ORGANIZER)  # 赵建国 collects the dues
    await b.send("/dues")
    await b.press("💴 设定党费标准", message=await b.expect("党费"))
    listing = await b.expect("党费标准")
    assert "孙丽 未设" in listing.labels()
    await b.press("孙丽 未设", message=listing)
    await b.expect("每月应交的党费")
    await b.send("12.345")
    await b.expect("没看懂这个金额")
    await b.send("12.5元")
    assert "12.50 元" in (await b.expect("每月党费已设为")).plain
    await a.send("/dues")
    await a.expect("权限")
    sun = await members.by_telegram_id(harness.svc.db, c.id)
    logged = [e for e in await audit.for_branch(harness.svc.db, sun.branch_id) if e.action == "dues.amount"]
    assert [(e.actor_id, e.subject) for e in logged] == [(3, f"member:{sun.id}")]

    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    await c.expect("还有 3 天")
    await c.press(PAID)
    assert "按党费标准 12.50 元" in (await c.expect("已记下")).plain
    await harness.drain()
    assert "12.50 元" in (await b.expect("孙丽 报告已交2026年12月党费")).plain
    await c.press("✏️ 报其他金额")
    await c.expect("实际交纳的党费金额")
    await c.send("十块")
    await c.expect("没看懂这个金额")
    await c.send("10")
    await c.expect("交纳党费 10.00 元")
    await harness.drain()
    flagged = await b.expect("应缴 12.50 元，报 10.00 元")
    assert "10.00 元" in flagged.plain and flagged.labels() == ["✅ 确认收到 10.00 元"]
    await b.send("/dues 2026-12")
    month = await b.expect("不经手任何付款")
    assert "孙丽（12.50 元）：🟡 本人报已交，待确认 ⚠️ 应缴 12.50 元，报 10.00 元" in month.plain
    await b.press("✅ 确认收到 10.00 元", message=flagged)
    await b.expect("已确认收到 10.00 元")
    await c.press("✏️ 报其他金额")
    await c.send("11")
    await c.expect("已由组织委员确认收到，金额不能再改")

    await secretary.send("/export dues 2026")
    document = await secretary.expect("党费交纳登记表")
    sheet = load_workbook(BytesIO(harness.emu.file(document.file_id).content))["党费登记"]
    header = [cell.value for cell in sheet[header_row(sheet)]]
    assert header[1] == "党费标准\n（元/月）" and header[14:] == ["已收\n月数", "已收合计\n（元）", "应交合计\n（元）"]
    by_name = {row[0]: row for row in data_rows(sheet)}
    assert by_name["孙丽"][1] == 12.5 and by_name["孙丽"][13] == 10
    assert (by_name["孙丽"][15], by_name["孙丽"][16]) == (10, 137.5)  # 11 months due on 30 November
    assert by_name["李红梅"][16] is None  # no standard, nothing expected


async def test_standing_leave_counts_meetings_as_leave_skips_reminders_and_ends_with_xiaojia(harness):
    """/away asks for a reason and a range once; approved like a leave, the theme day in the range is 请假 with no
    reminder and no make-up task; 销假 on /away ends it, and the next month's theme day reminds the member again."""
    secretary, (a, b, c) = await _with_theme(harness)
    await b.send("/away")
    await b.expect("先发送事由")
    await b.send("外出务工")
    await b.expect("请发送外出时间")
    await b.send("下个月")
    await b.expect("没看懂这段时间")
    await b.send("12月1日到12月20日")
    await b.expect("长期请假申请已提交（2026年12月1日至2026年12月20日）")
    await harness.drain()
    card = await secretary.expect("长期请假（请销假）")
    assert "外出务工" in card.plain
    await secretary.press("✅ 批准", message=card)
    await harness.drain()
    await b.expect("审核通过")
    assert (await meetings.attendance_of(harness.svc.db, 1, 3)).status == "on_leave"

    harness.clock.set(THREE_DAYS_BEFORE)
    await harness.drain()
    await a.expect("还有 3 天")
    await harness.emu.idle()
    assert not [t for t in b.texts() if "还有 3 天" in t]
    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    assert "请假：赵建国" in tally.plain
    await harness.emu.idle()
    assert not [t for t in b.texts() if "补课通知" in t]

    harness.clock.set(datetime(2026, 12, 10, 2, 0, tzinfo=UTC))
    await b.send("/away")
    status = await b.expect("您正在长期请假")
    await b.press("🏠 销假（已返回）", message=status)
    await b.expect("已销假")
    harness.clock.set(datetime(2026, 12, 28, 2, 0, tzinfo=UTC))
    await harness.drain()
    january = await meetings.for_period(harness.svc.db, 1, meetings.MeetingKind.THEME_DAY, "2027-01")
    assert january is not None
    assert await outbox.get(harness.svc.db, f"meeting:{january.id}:remind-3d:member:3") is not None
    assert await meetings.attendance_of(harness.svc.db, january.id, 3) is None


async def test_national_day_theme_day_moves_and_the_secretary_changes_the_date(harness):
    """1 Oct 2026, the first Thursday, is National Day: the theme day is made on 8 Oct and the secretary is asked to
    confirm (确认 / 改日期); 改日期 with a typed day moves it and its reminders."""
    # The branch is set up before October's theme day is due (its 10 days' lead), so what the secretary is asked
    # comes after the join, whenever the ticks run.
    harness.clock.set(datetime(2026, 9, 8, 2, 0, tzinfo=UTC))
    await create_branch(harness)
    await join(harness, harness.emu.user(2001, "李红梅"), "李红梅")
    harness.clock.set(datetime(2026, 9, 22, 2, 0, tzinfo=UTC))
    await harness.drain()
    secretary = harness.emu.user(SECRETARY_ID, "王")
    moved = await secretary.expect("10月主题党日遇国庆节")
    assert "10月1日（星期四）" in moved.plain and "10月8日（星期四）" in moved.plain
    assert {"✅ 确认", "📅 改日期"} <= set(moved.labels())
    october = await meetings.for_period(harness.svc.db, 1, meetings.MeetingKind.THEME_DAY, "2026-10")
    assert october.starts_at == datetime(2026, 10, 8, 1, 0, tzinfo=UTC)

    await secretary.press("📅 改日期", message=moved)
    await secretary.expect("请发送新的日期")
    await secretary.send("随便哪天")
    await secretary.expect("没看懂这个日期")
    await secretary.send("10月9日")
    await secretary.expect("已改期")
    october = await meetings.get(harness.svc.db, october.id)
    assert october.starts_at == datetime(2026, 10, 9, 1, 0, tzinfo=UTC)
    reminder = await outbox.get(harness.svc.db, f"meeting:{october.id}:remind-open:member:2")
    assert reminder.due_at == datetime(2026, 10, 9, 0, 30, tzinfo=UTC)
    await secretary.press("✅ 确认", message=moved)
    await secretary.expect("已确认")


async def test_theme_due_by_the_5th_reminds_the_secretary_and_compliance_shows_it_late(harness):
    """A branch whose theme day is the 5th and whose theme is fixed by the 5th (seed 002): from the 1st the secretary
    is reminded daily with the 设置主题 button; left unset, /compliance shows 主题未按期确定 after the day."""
    await create_branch(harness)
    async with harness.svc.db.write() as db:
        await themeday.save_settings(db, 1, ThemeDaySettings(mode="monthday", day=5), harness.clock.now())
        branch = await branches.get(db, 1)
        await branches.save_settings(db, 1, branch.settings.model_copy(update={"theme_due_day": 5}))
    await join(harness, harness.emu.user(2001, "李红梅"), "李红梅")
    secretary = harness.emu.user(SECRETARY_ID, "王")
    harness.clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    await harness.drain()
    await harness.emu.idle()
    assert not [t for t in secretary.texts() if "前确定" in t]  # 30 Nov: before the 1st, nothing yet

    harness.clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    await harness.drain()
    first = await secretary.expect("12月主题党日的主题请在12月5日前确定")
    assert "✏️ 设置主题" in first.labels()
    harness.clock.set(datetime(2026, 12, 2, 2, 0, tzinfo=UTC))
    await harness.drain()
    await secretary.expect("12月主题党日的主题请在12月5日前确定")

    harness.clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    await harness.drain()
    await secretary.send("/compliance")
    report = await secretary.expect("三会一课完成情况")
    assert "12月：❌ 主题未按期确定" in report.plain


async def test_the_standards_list_of_a_large_branch_is_paged(harness):
    """A branch of 50 has every member under 设定党费标准: 40 names on the first page with 下一页, the rest on the
    second with 上一页 — none left out."""
    secretary, _ = await branch_with_members(harness, names=("李红梅",))
    async with harness.svc.db.write() as db:
        for number in range(48):
            await members.create(db, branch_id=1, telegram_id=None, name=f"党员{number:02d}",
                                 status=MemberStatus.ACTIVE, now=harness.clock.now())
    await secretary.send("/dues")
    await secretary.press("💴 设定党费标准", message=await secretary.expect("党费"))
    first = await secretary.expect("党费标准")
    listed = [b for row in first.buttons for b in row if b.data.startswith("du:am")]
    assert "第 1/2 页\n点姓名" in first.plain and len(listed) == 40
    await secretary.press("下一页 »", message=first)
    await harness.emu.idle()
    second = harness.emu.current(secretary.id, first.message_id)
    names = [b.label for row in second.buttons for b in row if b.data.startswith("du:am")]
    assert "第 2/2 页" in second.plain and len(names) == 10 and any("党员47" in n for n in names)
    assert "« 上一页" in second.labels()


async def test_received_from_the_list_is_shown_again_and_can_be_undone(harness):
    """On /dues, 📥 记为已收：李红梅 records her month (at her standard) and the list shows again in place with her
    as 已收; the answer says the amount and carries ↩️ 撤销确认, which takes it back (the list then shows 未交)."""
    secretary, (a, b, c) = await _with_theme(harness)
    async with harness.svc.db.write() as db:
        await members.set_dues(db, (await members.by_telegram_id(db, a.id)).id, 1500, harness.clock.now())
    await secretary.send("/dues 2026-12")
    listing = await secretary.expect("不经手任何付款")
    assert "李红梅（15.00 元）：未交" in listing.plain
    answer = await secretary.press("📥 记为已收：李红梅", message=listing)
    assert "已确认收到 15.00 元" in answer.text
    recorded = await secretary.expect("已记录：李红梅2026年12月党费已收 15.00 元")
    shown = harness.emu.current(secretary.id, listing.message_id)
    assert "李红梅（15.00 元）：✅ 已收" in shown.plain and "📥 记为已收：李红梅" not in shown.labels()
    await secretary.press("↩️ 撤销确认", message=recorded)
    await secretary.expect("李红梅2026年12月党费现为未收")
    await secretary.send("/dues 2026-12")
    assert "李红梅（15.00 元）：未交" in (await secretary.expect("不经手任何付款")).plain
