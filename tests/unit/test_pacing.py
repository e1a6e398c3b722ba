"""The send limiter: interactive sends before bulk ones, button answers unpaced, update slots lent while waiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from handlers.telegram.ordering import PerChatOrder
from handlers.telegram.pacing import SteadyRateLimiter, bulk_sends


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat,
                                             from_user=User(chat_id, "x", is_bot=False), text="hi"))


async def _send(limiter: SteadyRateLimiter, log: list[str], name: str, chat_id: int = 1) -> None:
    async def call() -> bool:
        log.append(name)
        return True

    await limiter.process_request(call, (), {}, "sendMessage", {"chat_id": chat_id}, None)


async def test_interactive_sends_overtake_waiting_bulk_sends():
    """Bulk sends queued first still go after a reply someone is waiting for, and among themselves in order."""
    limiter = SteadyRateLimiter(per_second=50)
    log: list[str] = []
    bulk = bulk_sends(_send)
    await bulk(limiter, log, "bulk-0")  # takes the free slot; everyone after it waits for the next ones
    waiting = [asyncio.create_task(bulk(limiter, log, f"bulk-{i}")) for i in range(1, 4)]
    await asyncio.sleep(0)
    person = asyncio.create_task(_send(limiter, log, "reply"))
    await asyncio.gather(person, *waiting)
    assert log == ["bulk-0", "reply", "bulk-1", "bulk-2", "bulk-3"]


async def test_button_answers_are_not_paced():
    """answerCallbackQuery goes at once even while a message waits a long time for its send slot."""
    limiter = SteadyRateLimiter(per_second=0.001)  # the next slot is 1000 s away
    log: list[str] = []
    await _send(limiter, log, "first")
    stuck = asyncio.create_task(_send(limiter, log, "second"))
    await asyncio.sleep(0)

    async def answer() -> bool:
        log.append("toast")
        return True

    assert await limiter.process_request(answer, (), {}, "answerCallbackQuery", {"callback_query_id": "1"}, None)
    assert log == ["first", "toast"] and not stuck.done()
    stuck.cancel()


async def test_an_update_waiting_to_send_lends_its_slot():
    """With one working slot, an update whose reply waits for the send pace lets another chat's update run."""
    limiter = SteadyRateLimiter(per_second=0.001)
    processor = PerChatOrder(max_concurrent_updates=1)
    log: list[str] = []
    await _send(limiter, log, "earlier")  # the pace is now taken for a long while

    async def replying() -> None:
        await _send(limiter, log, "reply-a")

    async def quick() -> None:
        log.append("b handled")

    waiting = asyncio.create_task(processor.process_update(_update(1, 100), replying()))
    await asyncio.sleep(0)
    await processor.process_update(_update(2, 200), quick())
    assert log == ["earlier", "b handled"] and not waiting.done()
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    assert processor.slots.free == 1  # the cancelled update gave nothing back twice


async def test_sends_into_one_group_are_spaced_by_the_group_rate():
    """A second message into a group waits its turn at Telegram's 20 a minute (another group's goes meanwhile);
    at a group rate of 60,000 a minute it goes at once."""
    telegram = SteadyRateLimiter(per_second=0)
    log: list[str] = []
    await _send(telegram, log, "first", chat_id=-5)
    second = asyncio.create_task(_send(telegram, log, "second", chat_id=-5))
    await asyncio.wait_for(_send(telegram, log, "other group", chat_id=-6), 1)
    assert log == ["first", "other group"] and not second.done()
    second.cancel()
    await asyncio.gather(second, return_exceptions=True)

    fast = SteadyRateLimiter(per_second=0, group_per_minute=60000)
    await _send(fast, log, "fast 1", chat_id=-5)
    await asyncio.wait_for(_send(fast, log, "fast 2", chat_id=-5), 1)
    assert log[-2:] == ["fast 1", "fast 2"]
