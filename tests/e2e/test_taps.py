"""Taps per task, counted: each flow is walked the shortest way a person would, every button press and every typed
message counted (commands typed count as typed messages), and the counts are the README's table ("Taps per flow")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.emulator.people import Person
from storage import meetings, members
from tests.e2e.helpers import SECRETARY_ID, branch_with_members, create_branch

CHECKIN_OPEN = datetime(2026, 12, 3, 0, 55, tzinfo=UTC)  # the December theme day (09:00) opens at 08:30
VENUE = (34.2655, 108.9542)


@dataclass
class Counted:
    """A person whose presses and typed messages are counted."""

    person: Person
    taps: int = 0
    typed: int = 0
    seen: list[str] = field(default_factory=list)

    async def tap(self, label: str, message=None):
        self.taps += 1
        return await self.person.press(label, message=message)

    async def key(self, label: str):
        self.taps += 1
        return await self.person.tap_key(label)

    async def type(self, text: str):
        self.typed += 1
        return await self.person.send(text)

    async def expect(self, text: str):
        return await self.person.expect(text)


async def _venue(harness):
    theme_day = next(m for m in await meetings.upcoming_in_branch(harness.svc.db, 1, harness.clock.now()) if m.period)
    async with harness.svc.db.write() as db:
        await meetings.reschedule(db, theme_day.id, starts_at=theme_day.starts_at, ends_at=theme_day.ends_at,
                                  checkin_opens_at=theme_day.checkin_opens_at, place="村委会", venue=(*VENUE, 300),
                                  makeup_days=theme_day.makeup_days, now=harness.clock.now())


async def test_join_takes_the_name_and_one_tap(harness):
    """Join: the link opened (not a tap), the name typed; the secretary's 通过 on the card: 1 tap."""
    code = await create_branch(harness)
    secretary = Counted(harness.emu.user(SECRETARY_ID, "王"))
    newcomer = Counted(harness.emu.user(3001, "L"))
    await newcomer.person.send(f"/start {code}")  # opening the link
    await newcomer.expect("真实姓名")
    await newcomer.type("刘洋")
    await newcomer.expect("已提交")
    await harness.drain()
    card = await secretary.expect("入支部申请")
    await secretary.tap("通过", message=card)
    await harness.drain()
    await newcomer.expect("已通过审核")
    assert (newcomer.taps, newcomer.typed, secretary.taps, secretary.typed) == (0, 1, 1, 0)


async def test_check_in_by_button_by_word_and_at_a_venue(harness):
    """Check-in: ✅ 签到 on the reminder (1 tap), or "签到" typed (0 taps); at a venue 📍 adds a tap to either."""
    _, (a, b, c) = await branch_with_members(harness)
    harness.clock.set(CHECKIN_OPEN)
    await harness.drain()
    button, word = Counted(a), Counted(b)
    reminder = await button.expect("现在可以签到")
    await button.tap("✅ 签到", message=reminder)
    await button.expect("签到成功")
    await word.type("签到")
    await word.expect("签到成功")
    assert (button.taps, button.typed, word.taps, word.typed) == (1, 0, 0, 1)


async def test_check_in_at_a_venue(harness):
    """With a venue check: ✅ 签到 then 📍 发送我的位置 (2 taps); typed "签到" then 📍 (1 tap, 1 typed)."""
    _, (a, b, _) = await branch_with_members(harness)
    await _venue(harness)
    harness.clock.set(CHECKIN_OPEN)
    await harness.drain()
    button, word = Counted(a), Counted(b)
    a.location = b.location = VENUE
    reminder = await button.expect("现在可以签到")
    await button.tap("✅ 签到", message=reminder)
    await button.expect("签到需要核对位置")
    await button.key("📍 发送我的位置")
    await button.expect("签到成功")
    await word.type("签到")
    await word.expect("签到需要核对位置")
    await word.key("📍 发送我的位置")
    await word.expect("签到成功")
    assert (button.taps, button.typed, word.taps, word.typed) == (2, 0, 1, 1)


async def test_leave_and_its_approval(harness):
    """Leave: 📝 请假 (1 tap) and the reason typed; the secretary's ✅ 批准 on the card (1 tap)."""
    secretary_person, (a, _, _) = await branch_with_members(harness)
    harness.clock.set(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))  # the reminder three days before
    await harness.drain()
    member, secretary = Counted(a), Counted(secretary_person)
    reminder = await member.expect("还有 3 天")
    await member.tap("📝 请假", message=reminder)
    await member.expect("请发送请假理由")
    await member.type("在外地出差")
    await member.expect("请假申请已提交")
    await harness.drain()
    card = await secretary.expect("请假申请")
    await secretary.tap("✅ 批准", message=card)
    assert (member.taps, member.typed, secretary.taps, secretary.typed) == (1, 1, 1, 0)


async def test_a_join_request_from_the_digest(harness):
    """A request found in the morning digest: ➡️ 入支部申请, then ✅ 通过 beside the name: 2 taps."""
    code = await create_branch(harness)
    newcomer = harness.emu.user(3001, "L")
    await newcomer.send(f"/start {code}")
    await newcomer.send("刘洋")
    await newcomer.expect("已提交")
    harness.clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    await harness.drain()
    await harness.emu.idle()
    secretary = Counted(harness.emu.user(SECRETARY_ID, "王"))
    digest = [m for m in secretary.person.messages() if "今日待办" in m.plain][-1]
    await secretary.tap("➡️ 入支部申请", message=digest)
    listing = await secretary.expect("入支部申请（1 人）")
    await secretary.tap("✅ 通过 刘洋", message=listing)
    await secretary.expect("没有待审核的事项")
    assert (secretary.taps, secretary.typed) == (2, 0)
    assert (await members.by_telegram_id(harness.svc.db, 3001)).status.value == "active"


async def test_final_grades_are_two_taps_and_three_per_exception(harness):
    """Final grades for the secretary's four members, one of them 优秀: /evaluation typed, then 评议结果, the name,
    优秀, « 返回名单, ✅ 其余全部合格 — 5 taps (2 + 3 per exception), where one grade per member took 1 + 3 × 4 = 13
    (the secretary's own grade is not theirs to set: others set it)."""
    secretary_person, _ = await branch_with_members(harness, names=("李红梅", "赵建国", "孙丽", "周敏"))
    secretary = Counted(secretary_person)
    await secretary.type("/evaluation")
    await secretary.expect("还没有开启")
    await secretary_person.press("开启（14天后截止）")  # opening the evaluation is not part of grading
    await secretary.expect("参评党员")
    await secretary.tap("评议结果")
    results = await secretary.expect("评议结果")
    await secretary.tap("李红梅 · 待定", message=results)
    await secretary.expect("评议结果：待定")
    await secretary.tap("优秀")
    await secretary.expect("评议结果：优秀")
    await secretary.tap("返回名单")
    listed = await secretary.expect("其余全部合格")
    await secretary.tap("✅ 其余全部合格（3 人）", message=listed)
    await harness.emu.idle()
    assert (secretary.taps, secretary.typed) == (5, 1)


async def test_what_is_not_understood_is_one_tap_from_being_done(harness):
    """A member writes something the bot does not understand during the check-in: her to-dos come back, and ✅ 签到
    among them is 1 tap."""
    _, (a, _, _) = await branch_with_members(harness)
    harness.clock.set(CHECKIN_OPEN)
    member = Counted(a)
    await member.type("我来开会了，怎么弄")
    todo = await member.expect("您现在的待办")
    await member.tap("✅ 签到：12月主题党日", message=todo)
    await member.expect("签到成功")
    assert (member.taps, member.typed) == (1, 1)


async def test_dues_reported_and_confirmed(harness):
    """Dues: the member taps 💴 已交党费 on the theme-day reminder (1); the secretary taps ✅ 确认收到 12.50 元 on the
    card that names the amount (1); ↩️ 撤销确认 would take it back with 1 more."""
    secretary_person, (a, _, _) = await branch_with_members(harness)
    async with harness.svc.db.write() as db:
        await members.set_dues(db, (await members.by_telegram_id(db, a.id)).id, 1250, harness.clock.now())
    harness.clock.set(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))
    await harness.drain()
    member, secretary = Counted(a), Counted(secretary_person)
    reminder = await member.expect("还有 3 天")
    await member.tap("💴 已交党费", message=reminder)
    await member.expect("已记下")
    await harness.drain()
    card = await secretary.expect("报告已交")
    await secretary.tap("✅ 确认收到 12.50 元", message=card)
    await secretary.expect("已确认收到 12.50 元")
    assert (member.taps, member.typed, secretary.taps, secretary.typed) == (1, 0, 1, 0)
