"""Every message that asks for an action carries its button: the daily digest (a button per section, and a tally
per meeting owed a make-up), a thought report returned for revision (修改并重新提交), /me's 待补课 line."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.roles import Role
from storage import members
from tests.e2e.helpers import branch_with_members

AFTER_THEME_DAY = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)  # the December theme day (09:00–11:00) is over
PAST_MAKEUP_DUE = datetime(2026, 12, 11, 1, 0, tzinfo=UTC)  # 09:00 a week later: the make-ups are overdue


async def _todays_digest(harness, secretary):
    """The newest digest (earlier days' digests came before it)."""
    await harness.emu.idle()
    return [m for m in secretary.messages() if "今日待办" in m.plain][-1]


async def test_the_digest_carries_a_button_per_section(harness):
    """Nobody came to the theme day; a week later the digest lists the overdue make-ups and the talks not held, and
    says "点下面的按钮"; its buttons open the meeting's tally (with 📚 记录补课 and 更正) and /talk's list."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    harness.clock.set(AFTER_THEME_DAY)
    await harness.drain()
    harness.clock.set(PAST_MAKEUP_DUE)
    await harness.drain()
    digest = await _todays_digest(harness, secretary)
    assert "补课逾期" in digest.plain and "谈心谈话" in digest.plain and "点下面的按钮" in digest.plain
    assert "发送 /pending" not in digest.plain
    assert "📊 查看签到：12月主题党日" in digest.labels() and "➡️ 谈心谈话" in digest.labels(), digest.labels()
    assert all(len(data.encode()) <= 64 for data in digest.buttons_data())

    await secretary.press("📊 查看签到：12月主题党日", message=digest)
    tally = await secretary.expect("主题党日签到汇总")
    assert "缺席：" in tally.plain and "✏️ 更正：实际到场" in tally.labels()
    assert harness.emu.current(secretary.id, digest.message_id).plain == digest.plain  # the digest stays
    await secretary.press("➡️ 谈心谈话", message=digest)
    listing = await secretary.expect("请选择谈话对象")
    assert {"李红梅", "赵建国"} <= set(listing.labels())

    forged = await a.press_data(digest.message_id, "go:c:talk")  # the command checks who pressed, as when typed
    assert "权限" in forged.text or "权限" in a.last.plain


async def test_the_digest_button_opens_pending(harness):
    """A leave waits: the digest's 待审核 section has ➡️ 待审核, which opens /pending's list with the request."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await a.send("/leave")
    await a.expect("请发送请假理由")
    await a.send("在外地出差")
    await a.expect("请假申请已提交")
    harness.clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # 09:00 the next day
    await harness.drain()
    digest = await _todays_digest(harness, secretary)
    await secretary.press("➡️ 待审核", message=digest)
    listing = await secretary.expect("待审核（")
    assert any("请假申请" in label and "李红梅" in label for label in listing.labels()), listing.labels()


async def test_a_returned_thought_report_carries_its_button(harness):
    """The secretary returns 孙丽's report with a reason; her notice carries ✏️ 修改并重新提交, which reopens the
    report (its 13 characters kept, the reason shown) for her to add to and hand in again."""
    secretary, (a,) = await branch_with_members(harness, names=("孙丽",))
    async with harness.svc.db.write() as db:
        await members.add_role(db, (await members.by_telegram_id(db, a.id)).id, Role.PROBATIONARY)
    await a.send("/report")
    await a.expect("请发送您的思想汇报")
    await a.send("这个季度我认真学习了党章。")
    kept = await a.expect("已收到")
    await a.press("提交", message=kept)
    await harness.drain()
    card = await secretary.expect("思想汇报待审核")
    await secretary.press("↩️ 退回修改", message=card)
    await secretary.expect("退回修改的意见")
    await secretary.send("请结合工作实际谈谈体会")
    await harness.drain()
    returned = await a.expect("被退回修改")
    assert returned.labels() == ["✏️ 修改并重新提交"]
    await a.press("✏️ 修改并重新提交", message=returned)
    reopened = await a.expect("思想汇报（已退回修改）")
    assert "请结合工作实际谈谈体会" in reopened.plain and "已收到：13 字" in reopened.plain


async def test_me_lists_an_owed_make_up_with_its_button(harness):
    """After the theme day she missed, 李红梅's /me says 待补课 and carries 📝 补课：12月主题党日, which opens the form."""
    _, (a,) = await branch_with_members(harness, names=("李红梅",))
    harness.clock.set(AFTER_THEME_DAY)
    await harness.drain()
    await a.send("/me")
    record = await a.expect("组织生活记录")
    assert "待补课" in record.plain and "/makeup" not in record.plain
    assert record.labels() == ["📝 补课：12月主题党日"]
    await a.press("📝 补课：12月主题党日", message=record)
    await a.expect("补课")
