"""/settings: the secretary changes quiet hours, the digest time, the notice nudge, the minutes deadline, the
三会一课 cadences, the theme day's holiday rule and due day, make-up for members on leave and the branch's own
holidays with buttons; each press is re-authorised and every change audited; defaults follow the 条例."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.holidays import WorkCalendar
from bot.domain.minutes import MeetingRules
from storage import audit, branches, members, minutes
from tests.e2e.helpers import branch_with_members


async def _pick(secretary, field_label: str, choice: str):
    """Two taps: the setting on the card, then a choice; the card comes back with the new value."""
    await secretary.press(field_label)
    await secretary.expect("请选择")
    answer = await secretary.press(choice)
    assert "已修改" in answer.text
    return await secretary.expect("支部设置")


async def test_secretary_changes_each_setting_by_taps_and_each_change_is_audited(harness):
    """Defaults on the card (22:00–07:00, 08:30, 3 天, 3 个工作日, 组织生活会 每年 1 次); quiet hours, digest,
    nudge, minutes deadline and a cadence changed by two taps each (the deadline and cadence only stricter than the
    county's default), stored where the bot reads them, audited with the secretary as actor; /settings is in the
    secretary's menu and /help."""
    secretary, _ = await branch_with_members(harness, names=("李红梅",))
    assert "settings" in [c["command"] for c in harness.emu.commands_for(secretary.id)]
    await secretary.send("/help")
    assert "/settings" in (await secretary.expect("您可以")).plain
    await secretary.send("/settings")
    card = await secretary.expect("支部设置")
    assert "免打扰：22:00–07:00" in card.plain and "每日摘要：08:30" in card.plain
    assert "会后 3 个工作日内提交" in card.plain and "组织生活会：每年 1 次" in card.plain
    assert "党课：每半年 1 次" in card.plain

    await _pick(secretary, "免打扰开始：22:00", "23:00")
    await _pick(secretary, "免打扰结束：07:00", "06:00")
    await _pick(secretary, "每日摘要时间：08:30", "09:00")
    await _pick(secretary, "通知未读催办：3 天", "5 天")
    await _pick(secretary, "会议记录期限：3 个工作日", "2 个工作日")
    card = await _pick(secretary, "党课：每半年 1 次", "每季度 1 次")
    assert "免打扰：23:00–06:00" in card.plain and "党课：每季度 1 次" in card.plain

    settings = (await branches.get(harness.svc.db, 1)).settings
    assert (settings.quiet_start, settings.quiet_end, settings.digest_time, settings.notice_nudge_days) == (
        "23:00", "06:00", "09:00", 5)
    rules = await minutes.rules_of(harness.svc.db, 1)
    assert rules.minutes_working_days == 2 and rules.cadences["lecture"].per == "quarter"
    secretary_row = await members.by_telegram_id(harness.svc.db, secretary.id)
    entries = [e for e in await audit.for_branch(harness.svc.db, 1)
               if e.action in ("settings.change", "meetings.rules")]
    assert len(entries) == 6 and {e.actor_id for e in entries} == {secretary_row.id}


async def test_members_and_forged_choices_change_nothing(harness):
    """A member's /settings and forged presses are refused; a choice not offered is stale; nothing is written."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await a.send("/settings")
    await a.expect("权限")
    forged = await a.press_data(a.last.message_id, "st:s:quiet_start:2")
    assert "权限" in forged.text
    await secretary.send("/settings")
    card = await secretary.expect("支部设置")
    odd = await secretary.press_data(card.message_id, "st:s:quiet_start:9")
    assert "失效" in odd.text or "过期" in odd.text
    odd = await secretary.press_data(card.message_id, "st:f:tz")
    assert "失效" in odd.text or "过期" in odd.text
    assert (await branches.get(harness.svc.db, 1)).settings.quiet_start == "22:00"
    assert not [e for e in await audit.for_branch(harness.svc.db, 1) if e.action == "settings.change"]


async def test_theme_day_rules_and_away_makeup_change_by_two_taps_and_members_cannot(harness):
    """The theme day's holiday rule, the theme due day and make-up for members on leave are on the card with their
    defaults; two taps each change them (stored in BranchSettings, audited); a member's forged press of one of
    them is refused and writes nothing."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await secretary.send("/settings")
    card = await secretary.expect("支部设置")
    assert "主题党日遇节假日：顺延到节后第一个工作日" in card.plain and "主题确定期限：不要求" in card.plain
    await a.send("/help")
    forged = await a.press_data((await a.expect("您可以")).message_id, "st:s:away_makeup:0")
    assert "权限" in forged.text
    assert (await branches.get(harness.svc.db, 1)).settings.away_makeup is False

    await _pick(secretary, "主题党日遇节假日：顺延到节后第一个工作日", "提前到节前最后一个工作日")
    await _pick(secretary, "主题确定期限：不要求", "每月 5 日前")
    card = await _pick(secretary, "长期请假者补学：不补学", "要补学")
    assert "主题确定期限：每月 5 日前" in card.plain and "缺席的会议要补学" in card.plain
    settings = (await branches.get(harness.svc.db, 1)).settings
    assert (settings.theme_holiday_move.value, settings.theme_due_day, settings.away_makeup) == (
        "previous_workday", 5, True)
    card = await _pick(secretary, "主题确定期限：每月 5 日前", "不要求")
    assert (await branches.get(harness.svc.db, 1)).settings.theme_due_day is None
    fields = [e.detail["field"] for e in await audit.for_branch(harness.svc.db, 1) if e.action == "settings.change"]
    assert sorted(fields) == ["away_makeup", "theme_due_day", "theme_due_day", "theme_holiday_move"]


async def test_secretary_adds_and_removes_the_branchs_own_days_off_and_workdays(harness):
    """🗓 节假日 shows this year's national holidays (2026: 国庆节 10月1日–10月7日, 调休上班 days); a typed date
    ("1月2日", "2027-01-09") then 放假 or 上班 adds the branch's own day to the rules the CLI sets and the
    deadlines use; ❌ removes it; each change is audited with the secretary. A bad date gets a polite answer and
    changes nothing, and the form waits for another; a member's forged 放假 / ❌ is refused, nothing written. In a
    year the calendar does not know, the screen says only weekends count."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await secretary.send("/settings")
    await secretary.expect("支部设置")
    await secretary.press("🗓 节假日")
    screen = await secretary.expect("法定节假日")
    assert "国庆节：10月1日–10月7日" in screen.plain and "调休上班" in screen.plain and "自行增加的：无" in screen.plain

    await secretary.press("➕ 添加一天")
    await secretary.expect("请发送日期")
    await secretary.send("2月30日")
    assert "没看懂这个日期" in (await secretary.expect("抱歉")).plain
    assert await minutes.rules_of(harness.svc.db, 1) == MeetingRules()
    assert not [e for e in await audit.for_branch(harness.svc.db, 1) if e.action == "meetings.rules"]
    await secretary.send("1月2日")
    asked = await secretary.expect("放假还是上班")
    assert "2027年1月2日（星期六）" in asked.plain
    forged = await a.press_data(asked.message_id, "st:hp:20270104:off")
    assert "权限" in forged.text
    await secretary.press("放假")
    await secretary.expect("自行增加的")
    await secretary.press("➕ 添加一天")
    await secretary.send("2027-01-09")
    await secretary.expect("放假还是上班")
    await secretary.press("上班")
    screen = await secretary.expect("2027年1月9日（星期六）：上班")
    assert "2027年1月2日（星期六）：放假" in screen.plain
    rules = await minutes.rules_of(harness.svc.db, 1)
    assert [d.isoformat() for d in rules.holidays] == ["2027-01-02"]
    assert [d.isoformat() for d in rules.workdays] == ["2027-01-09"]

    forged = await a.press_data(screen.message_id, "st:hd:20270102")
    assert "权限" in forged.text
    await secretary.press("❌ 2027年1月2日 放假")
    screen = await secretary.expect("自行增加的")
    assert "1月2日" not in screen.plain.split("自行增加的")[1]
    rules = await minutes.rules_of(harness.svc.db, 1)
    assert rules.holidays == [] and [d.isoformat() for d in rules.workdays] == ["2027-01-09"]
    secretary_row = await members.by_telegram_id(harness.svc.db, secretary.id)
    entries = [e for e in await audit.for_branch(harness.svc.db, 1) if e.action == "meetings.rules"]
    assert len(entries) == 3 and {e.actor_id for e in entries} == {secretary_row.id}

    beyond = WorkCalendar.last_known_year() + 1  # a year the calendar has no schedule for
    harness.clock.set(datetime(beyond, 3, 2, 2, 0, tzinfo=UTC))
    await secretary.send("/settings")
    await secretary.expect("支部设置")
    await secretary.press("🗓 节假日")
    assert f"{beyond}年的节假日安排尚未录入" in (await secretary.expect("只按周末计算")).plain
    forged = await a.press_data(a.last.message_id, "st:h")
    assert "权限" in forged.text
