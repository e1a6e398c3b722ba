"""Polls on the emulator as Telegram has them: a quiz sent with sendPoll, answered by a person (poll_answer and
poll updates reach the bot), refused twice, closed by stopPoll; Telegram's refusals of bad polls; the demo page's tap on an option."""

from __future__ import annotations

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.emulator import Emulator
from bot.emulator.control import add_control_routes


async def test_quiz_answer_reaches_the_bot_and_stop_poll_closes_it(emu, client):
    """The quiz carries its right option and explanation; the answer arrives as poll_answer with the user and
    the option, then as poll with the count; a quiz is answered once; stopPoll closes it and no answer is taken."""
    alice = emu.user(2001, "Alice")
    sent = await client.send_poll(2001, "党的最高理想和最终目标是什么？", ["实现共产主义", "全面小康", "乡村振兴"],
                                  type="quiz", correct_option_ids=[0], is_anonymous=False,
                                  explanation="党章总纲：党的最高理想和最终目标是实现共产主义。")
    assert sent.poll.type == "quiz" and sent.poll.correct_option_ids == (0,) and not sent.poll.is_anonymous
    shown = await alice.expect("最高理想")
    assert shown.kind == "poll" and [o["text"] for o in alice.poll_of(shown)["options"]][0] == "实现共产主义"

    await alice.answer_poll(shown, 1)
    updates = await client.get_updates(timeout=1)
    answer = next(u.poll_answer for u in updates if u.poll_answer)
    assert answer.poll_id == sent.poll.id and answer.user.id == 2001 and answer.option_ids == (1,)
    state = next(u.poll for u in updates if u.poll)
    assert state.total_voter_count == 1 and state.options[1].voter_count == 1
    with pytest.raises(AssertionError, match="answered once"):
        await alice.answer_poll(shown, 0)

    stopped = await client.stop_poll(2001, sent.message_id)
    assert stopped.is_closed and stopped.total_voter_count == 1
    with pytest.raises(BadRequest, match="already been closed"):
        await client.stop_poll(2001, sent.message_id)
    bob = emu.user(2002, "Bob")
    other = await client.send_poll(2002, "问题", ["甲", "乙"], is_anonymous=True)
    await client.stop_poll(2002, other.message_id)
    with pytest.raises(AssertionError, match="closed"):
        await bob.answer_poll(await bob.expect("问题"), 0)


async def test_bad_polls_are_refused_as_telegram_refuses_them(emu, client):
    """One option, a quiz without a right option or with one out of range, an explanation over 200 characters."""
    emu.user(2001, "Alice")
    with pytest.raises(BadRequest, match="2-10 options"):
        await client.send_poll(2001, "问题", ["只有一个"])
    with pytest.raises(BadRequest, match="correct option"):
        await client.send_poll(2001, "问题", ["甲", "乙"], type="quiz")
    with pytest.raises(BadRequest, match="correct option"):
        await client.send_poll(2001, "问题", ["甲", "乙"], type="quiz", correct_option_ids=[2])
    with pytest.raises(BadRequest, match="explanation is too long"):
        await client.send_poll(2001, "问题", ["甲", "乙"], type="quiz", correct_option_ids=[0], explanation="解" * 201)


async def test_demo_page_answers_a_quiz_and_sees_the_result():
    """The page's tap (POST /_emu/poll) answers for the person: the bot gets poll_answer, and the message the page
    gets back shows the answer, the counts, the right option and the explanation; a second tap is refused."""
    emu = Emulator()
    add_control_routes(emu)
    async with emu, Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as client:
        emu.user(2001, "Alice")
        sent = await client.send_poll(2001, "入党誓词共几句？", ["12 句", "8 句"], type="quiz", correct_option_ids=[0],
                                      is_anonymous=False, explanation="入党誓词共 80 字、12 句。")
        async with aiohttp.ClientSession() as http:
            tap = {"user_id": 2001, "message_id": sent.message_id, "option": 1}
            async with http.post(f"{emu.root_url}/_emu/poll", json=tap) as response:
                shown = await response.json()
            async with http.post(f"{emu.root_url}/_emu/poll", json=tap) as again:
                assert again.status == 400 and "once" in await again.text()
        poll = shown["poll"]
        assert poll["answered"] == [1] and poll["correct_option_ids"] == [0] and poll["explanation"].startswith("入党誓词")
        assert [o["voter_count"] for o in poll["options"]] == [0, 1]
        updates = await client.get_updates(timeout=1)
        assert [u.poll_answer.option_ids for u in updates if u.poll_answer] == [(1,)]
