"""Telegram's answers lost in transit and updates delivered twice: what a bot must survive without double effects.

A plain python-telegram-bot `Bot` is the client, as in test_emulator.py."""

from __future__ import annotations

import pytest
from telegram.error import NetworkError, TimedOut


async def test_a_slow_answer_times_out_after_the_message_was_delivered(emu, client):
    """sendMessage answers 12 s late: a client reading for 0.5 s gets TimedOut, yet the person has the message;
    `times=1` makes only the first call slow."""
    alice = emu.user(2001, "Alice")
    emu.slow("sendMessage", seconds=12, chat_id=2001, times=1)
    with pytest.raises(TimedOut):
        await client.send_message(2001, "主题党日通知", read_timeout=0.5)
    assert alice.texts() == ["主题党日通知"]
    assert [c.ok for c in emu.calls if c.method == "sendMessage"] == [True]

    again = await client.send_message(2001, "第二条", read_timeout=0.5)  # only the first call was slow
    assert again.text == "第二条" and alice.texts() == ["主题党日通知", "第二条"]


async def test_slow_answers_for_every_call_until_stopped(emu, client):
    """`times=None` slows every call of the method (other methods and chats are untouched) until set to 0."""
    emu.user(2002, "Bob")
    emu.user(2003, "Carol")
    slow = emu.slow("sendMessage", seconds=12, chat_id=2002)
    for text in ("一", "二"):
        with pytest.raises(TimedOut):
            await client.send_message(2002, text, read_timeout=0.3)
    assert (await client.send_message(2003, "不受影响", read_timeout=0.5)).text == "不受影响"
    assert (await client.get_me(read_timeout=0.5)).is_bot
    slow.times = 0
    assert (await client.send_message(2002, "三", read_timeout=0.5)).text == "三"
    assert [m.plain for m in emu.messages_in(2002)] == ["一", "二", "三"]


async def test_a_reset_connection_after_the_message_was_delivered(emu, client):
    """`reset` applies the call, then drops the connection: the client sees a network error (not a Telegram
    refusal), and the message is in the chat all the same."""
    dan = emu.user(2004, "Dan")
    emu.reset("sendMessage")
    with pytest.raises(NetworkError) as caught:
        await client.send_message(2004, "会议改期", read_timeout=5)
    assert not isinstance(caught.value, TimedOut)
    assert dan.texts() == ["会议改期"]
    await client.send_message(2004, "after")  # times=1 by default
    assert dan.texts() == ["会议改期", "after"]


async def test_an_update_is_delivered_again_with_the_same_update_id(emu, client):
    """After the bot confirmed an update, `redeliver` hands it over once more, same update_id, then no more."""
    erin = emu.user(2005, "Erin")
    await erin.send("/checkin")
    first = await client.get_updates(timeout=0)
    emu.redeliver(first[0].update_id)
    await erin.send("next")
    again = await client.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [(u.update_id, u.message.text) for u in again] == [(first[0].update_id, "/checkin"),
                                                               (first[0].update_id + 1, "next")]
    assert again[0].message.message_id == first[0].message.message_id
    after = await client.get_updates(offset=again[-1].update_id + 1, timeout=0)
    assert after == ()


async def test_a_duplicate_send_arrives_twice_in_separate_batches(emu, client):
    """`send(..., duplicate=True)`: the first poll gets the update once; the poll confirming it gets it again."""
    frank = emu.user(2006, "Frank")
    await frank.send("刘洋", duplicate=True)
    first = await client.get_updates(timeout=0)
    assert [u.message.text for u in first] == ["刘洋"]
    second = await client.get_updates(offset=first[0].update_id + 1, timeout=0)
    assert [u.update_id for u in second] == [first[0].update_id]
    assert await client.get_updates(offset=first[0].update_id + 1, timeout=0) == ()
    with pytest.raises(KeyError):
        emu.redeliver(999)
