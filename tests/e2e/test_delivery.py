"""Delivery when Telegram is slow or cut off, updates delivered twice, and answers that fail after the change was
saved — over HTTP against the emulator, with the send timeout made small (ZHIBU_SEND_TIMEOUT) and the slowness
scaled to it."""

from __future__ import annotations

from bot.domain.outbox import OutboxStatus
from storage import members, outbox, submissions
from tests.e2e.helpers import (
    SAVED_NOTICE,
    branch_with_members,
    drain_until_settled,
    plan_saved_notice,
)

NOTICE = SAVED_NOTICE
SECTIONS = ("坚定理想信念，严守政治纪律。", "按时参加组织生活，学习党的理论。",
            "工作认真负责，联系群众。")


async def with_send_timeout(harness, seconds: float) -> None:
    harness.settings = harness.settings.model_copy(update={"send_timeout": seconds})
    await harness.restart()


def copies(user) -> int:
    return len([t for t in user.texts() if NOTICE in t])


async def test_slow_answers_within_the_timeout_make_no_duplicates(harness):
    """Every sendMessage answers at 0.4 of the send timeout (12 s against 30 s): each member gets the notice
    exactly once and every row is marked sent."""
    _, people = await branch_with_members(harness)
    await with_send_timeout(harness, 1.0)
    for user in people:
        harness.emu.slow("sendMessage", 0.4, chat_id=user.id)
        await plan_saved_notice(harness, f"t:slow:{user.id}", user)
    await drain_until_settled(harness)
    assert [copies(u) for u in people] == [1, 1, 1]
    for user in people:
        assert (await outbox.get(harness.svc.db, f"t:slow:{user.id}")).status is OutboxStatus.SENT


async def test_answers_slower_than_the_timeout_make_at_most_one_extra_copy(harness):
    """Every sendMessage answers after the timeout (25 s against 20 s, scaled down): the message arrived, the bot
    could not know; it is sent once more and then taken as delivered — two copies, never more, none lost."""
    _, (user, *_) = await branch_with_members(harness, names=("李红梅",))
    await with_send_timeout(harness, 0.5)
    harness.emu.slow("sendMessage", 1.0, chat_id=user.id)
    await plan_saved_notice(harness, "t:slower", user)
    await drain_until_settled(harness)
    assert copies(user) == 2
    row = await outbox.get(harness.svc.db, "t:slower")
    assert row.status is OutboxStatus.SENT and "may have arrived" in row.last_error


async def test_a_connection_cut_after_the_request_went_out_is_repeated_at_most_once(harness):
    """A reset after sendMessage took effect is the same "may have arrived": at most one extra copy."""
    _, (user, *_) = await branch_with_members(harness, names=("李红梅",))
    harness.emu.reset("sendMessage", chat_id=user.id, times=None)
    await plan_saved_notice(harness, "t:reset", user)
    await drain_until_settled(harness)
    assert copies(user) == 2
    assert (await outbox.get(harness.svc.db, "t:reset")).status is OutboxStatus.SENT


async def start_selfeval(harness):
    secretary, (a, *_) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    assert "已开启" in (await secretary.press("开启（14天后截止）")).text
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await a.press("写自评")
    await a.expect("第 1/5 部分")
    member = await members.by_telegram_id(harness.svc.db, a.id)
    return a, member


async def sections_of(harness, member) -> dict:
    return (await submissions.by_author(harness.svc.db, member.id))[0].content.get("sections", {})


async def test_an_update_delivered_twice_is_applied_once_also_across_a_restart(harness):
    """The same answer in the self-evaluation form, delivered twice with the same update_id, is saved once (not
    appended twice); after a restart a redelivered answer is still recognised and skipped."""
    a, member = await start_selfeval(harness)
    await a.send(SECTIONS[0], duplicate=True)
    await a.expect("已保存")
    await harness.emu.idle()
    assert await sections_of(harness, member) == {"politics": SECTIONS[0]}
    assert len([t for t in a.texts() if "已保存" in t]) == 1

    await a.press("下一部分")
    await a.expect("第 2/5 部分")
    await a.send(SECTIONS[1])
    await a.expect("共 ")  # the second part's "已保存（… 共 N 字）"
    answered = harness.emu.last_update_id
    await harness.restart()
    harness.emu.redeliver(answered)
    await harness.emu.idle()
    assert list((await sections_of(harness, member)).values()) == [SECTIONS[0], SECTIONS[1]]
    assert len([t for t in a.texts() if "已保存" in t]) == 2


async def test_a_saved_answer_whose_reply_failed_is_reported_as_saved(harness):
    """The part is committed, then the reply carrying the next question gets a 500: the member is told it was
    saved (through the outbox), not that it may not have completed."""
    a, member = await start_selfeval(harness)
    harness.emu.fail("sendMessage", 500, chat_id=a.id, times=1)
    await a.send(SECTIONS[0])
    await harness.drain()
    await a.expect("已保存")
    await harness.emu.idle()
    assert await sections_of(harness, member) == {"politics": SECTIONS[0]}
    assert not [t for t in a.texts() if "可能没有完成" in t]
