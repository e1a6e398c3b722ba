"""/meeting takes times as people type them: "3点" is confirmed with a button per reading still to come (a forged
or stale press does nothing), and "下周三下午两点半到四点半" schedules the meeting on that Wednesday 14:30–16:30."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import meetings, members
from tests.e2e.helpers import branch_with_members


async def test_typed_times_and_the_ambiguous_hour(harness):
    """The clock stands at 10:00 on Monday 23 Nov 2026 (Shanghai)."""
    secretary, (a, _, _) = await branch_with_members(harness)
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("支部党员大会")
    await secretary.expect("请发送会议日期和时间")

    # 03:00 today has passed, so the one reading left is asked about, not taken silently.
    await secretary.send("3点")
    question = await secretary.expect("您是指 11月23日（星期一）15:00–17:00 吗？")
    assert question.labels() == ["✅ 11月23日（星期一）15:00–17:00"]
    assert question.buttons_data() == ["mg:w:0"]
    await secretary.send("/meeting")  # the question is part of the saved form: /meeting shows it again
    await secretary.expect("您是指 11月23日（星期一）15:00–17:00 吗？")

    # Two readings still to come: a button each; typing a new time replaces the question.
    await secretary.send("明天3点")
    question = await secretary.expect("您是指以下哪个时间")
    assert question.labels() == ["✅ 11月24日（星期二）03:00–05:00", "✅ 11月24日（星期二）15:00–17:00"]
    assert all(len(data.encode()) <= 64 for data in question.buttons_data())
    forged = await a.press_data(question.message_id, "mg:w:1")  # a member cannot answer the secretary's form
    assert "权限" in forged.text
    stale = await secretary.press_data(question.message_id, "mg:w:7")
    assert "已失效" in stale.text
    await secretary.press("11月24日（星期二）15:00–17:00", message=question)
    await secretary.expect("请发送会议地点")

    await secretary.send("村委会会议室")
    await secretary.expect("请发送会议主题")
    await secretary.send("学习贯彻全会精神")
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press("李红梅")
    preview = await secretary.expect("会议安排预览")
    assert "时间：11月24日（星期二）15:00–17:00" in preview.plain

    # From the preview, the time again, the way it is said aloud; the end inherits 下午.
    await secretary.press("✏️ 时间")
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("明天下午")
    refused = await secretary.expect("没能看懂这个时间")
    assert "请写明几点" in refused.plain
    await secretary.send("下周三下午两点半到四点半")
    preview = await secretary.expect("会议安排预览")
    assert "时间：12月2日（星期三）14:30–16:30" in preview.plain
    await secretary.press("📤 发布")
    await secretary.expect("支部党员大会已发布")

    branch_id = (await members.by_telegram_id(harness.svc.db, 1001)).branch_id
    scheduled = [m for m in await meetings.upcoming_in_branch(harness.svc.db, branch_id, harness.clock.now())
                 if m.kind.value == "assembly"]
    assert [(m.starts_at, m.ends_at) for m in scheduled] == [
        (datetime(2026, 12, 2, 6, 30, tzinfo=UTC), datetime(2026, 12, 2, 8, 30, tzinfo=UTC))]


async def test_the_month_the_year_and_the_place_in_one_message(harness):
    """"下周四 15:00-17:00 村委会" fills the time and the place (the place prompt is skipped); from the preview
    "下个月5号下午3点" and "明年1月8日上午9点" are taken as typed."""
    secretary, _ = await branch_with_members(harness)
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("支部委员会")
    prompt = await secretary.expect("请发送会议日期和时间")
    assert "下周四 15:00-17:00 村委会" in prompt.plain
    await secretary.send("下周四 15:00-17:00 村委会")
    await secretary.expect("请发送会议主题")
    await secretary.send("研究年度工作")
    await secretary.expect("请选择主持人")
    await secretary.press("王书记")
    await secretary.expect("请选择记录人")
    await secretary.press("李红梅")
    preview = await secretary.expect("会议安排预览")
    assert "时间：12月3日（星期四）15:00–17:00" in preview.plain and "地点：村委会" in preview.plain

    for typed, shown in (("下个月5号下午3点", "时间：12月5日（星期六）15:00–17:00"),
                         ("明年1月8日上午9点", "时间：1月8日（星期五）09:00–11:00")):
        await secretary.press("✏️ 时间", message=preview)
        await secretary.expect("请发送会议日期和时间")
        await secretary.send(typed)
        preview = await secretary.expect("会议安排预览")
        assert shown in preview.plain and "地点：村委会" in preview.plain, preview.plain
    await secretary.press("📤 发布", message=preview)
    await secretary.expect("支部委员会已发布")
    branch_id = (await members.by_telegram_id(harness.svc.db, 1001)).branch_id
    scheduled = [m for m in await meetings.upcoming_in_branch(harness.svc.db, branch_id, harness.clock.now())
                 if m.kind.value == "committee"]
    assert [(m.starts_at, m.place) for m in scheduled] == [(datetime(2027, 1, 8, 1, 0, tzinfo=UTC), "村委会")]


async def test_eight_oclock_typed_in_the_afternoon_is_offered_as_eight_in_the_evening(harness):
    """At 15:00 "8点" is not called past: the form asks "您是指 … 20:00–22:00 吗？" with that one button."""
    secretary, _ = await branch_with_members(harness)
    harness.clock.advance(hours=5)  # 15:00 in Shanghai
    await secretary.send("/meeting")
    await secretary.expect("请选择会议类型")
    await secretary.press("支部委员会")
    await secretary.expect("请发送会议日期和时间")
    await secretary.send("8点")
    question = await secretary.expect("您是指 11月23日（星期一）20:00–22:00 吗？")
    assert "已经过去" not in question.plain
    await secretary.press("11月23日（星期一）20:00–22:00", message=question)
    await secretary.expect("请发送会议地点")
