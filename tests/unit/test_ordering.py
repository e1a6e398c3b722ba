"""One chat's updates run in order; different chats' updates run side by side."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from handlers.telegram.ordering import PerChatOrder


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    user = User(chat_id, "x", is_bot=False)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, from_user=user, text="hi"))


async def test_same_chat_in_order_other_chats_alongside():
    processor = PerChatOrder()
    log: list[str] = []
    release_first = asyncio.Event()

    async def slow(name: str) -> None:
        log.append(f"{name} start")
        await release_first.wait()
        log.append(f"{name} end")

    async def quick(name: str) -> None:
        log.append(f"{name} start")
        log.append(f"{name} end")

    first = asyncio.create_task(processor.process_update(update(1, 100), slow("a1")))
    second = asyncio.create_task(processor.process_update(update(2, 100), quick("a2")))
    other = asyncio.create_task(processor.process_update(update(3, 200), quick("b1")))
    await other  # another chat is not held up by the slow one
    assert log == ["a1 start", "b1 start", "b1 end"]
    release_first.set()
    await asyncio.gather(first, second)
    assert log[3:] == ["a1 end", "a2 start", "a2 end"]  # the same chat's second update waited its turn
    assert not processor._locks  # nothing kept once a chat is idle
