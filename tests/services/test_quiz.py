"""学习测试 on a real database: who may upload and start; the bank stored only on 确认; a unit's bank reaches the
branches below it; an answer counts only from the member the question was drawn for, before the deadline, once;
the score shows in the evaluation register."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.demo.quiz_sample import QUESTIONS, bank_xlsx
from bot.errors import UserError
from bot.services import evaluation, quiz, quiz_bank, units
from bot.services.evaluation_results import compile_results
from storage import quiz as store
from storage import units as unit_store
from tests.support import FIRST_MEMBER_ID, SECRETARY_ID

OFFICER = 7001


async def _upload(services, telegram_id: int) -> quiz_bank.Preview:
    content = bank_xlsx()
    await quiz_bank.begin_upload(services, telegram_id)
    await quiz_bank.preview(services, telegram_id, "file-1", "题库.xlsx", content)
    return await quiz_bank.confirm(services, telegram_id, content)


def _polls(sender, chat_id: int):
    return [m for m in sender.to(chat_id) if m.poll is not None]


async def _answer_current(services, sender, telegram_id: int, poll_id: str, right: bool = True) -> bool:
    """Record the poll id of the member's newest poll (as the sender does), then answer it."""
    message = _polls(sender, telegram_id)[-1]
    await quiz.poll_sent(services, message.poll.ref, poll_id)
    choice = message.poll.correct if right else (message.poll.correct + 1) % len(message.poll.options)
    return await quiz.answered(services, telegram_id, poll_id, [choice])


async def test_a_member_can_neither_upload_nor_start_and_nothing_is_stored_before_confirm(services, cast):
    """A plain member is refused; a preview stores nothing; 放弃 leaves no bank; 确认 stores all 8 questions."""
    with pytest.raises(UserError, match="quiz/not_allowed.j2"):
        await quiz_bank.begin_upload(services, FIRST_MEMBER_ID)
    with pytest.raises(UserError, match="quiz/not_allowed.j2"):
        await quiz.begin_start(services, FIRST_MEMBER_ID)
    await quiz_bank.begin_upload(services, SECRETARY_ID)
    found = await quiz_bank.preview(services, SECRETARY_ID, "f", "题库.xlsx", bank_xlsx())
    assert (found.good, found.bad) == (len(QUESTIONS), [])
    await quiz_bank.discard(services, SECRETARY_ID)
    assert await store.newest_bank(services.db, branch_id=cast.branch_id) is None
    with pytest.raises(UserError, match="quiz/expired.j2"):
        await quiz_bank.confirm(services, SECRETARY_ID, bank_xlsx())
    assert (await _upload(services, SECRETARY_ID)).good == len(QUESTIONS)
    assert (await store.newest_bank(services.db, branch_id=cast.branch_id))[1] == len(QUESTIONS)


async def test_answers_count_only_from_their_member_before_the_deadline_and_once(services, cast, drainer, sender,
                                                                                  monkeypatch):
    """Someone else's answer to a member's poll, an unknown poll, a second answer and an answer after the deadline
    change nothing; each counted answer sends the next question, the last one the score; the score is in the
    year's evaluation register."""
    monkeypatch.setattr(quiz, "RECORDING_WAITS", 0)
    await _upload(services, SECRETARY_ID)
    await quiz.begin_start(services, SECRETARY_ID)
    started = await quiz.start(services, SECRETARY_ID, "2 12-31")
    assert (started.branches, started.members, started.per_member) == (1, 4, 2)
    with pytest.raises(UserError, match="quiz/not_allowed.j2"):
        await quiz.start(services, FIRST_MEMBER_ID, "2 12-31")
    assert (await quiz.start(services, SECRETARY_ID, "2 12-31")).had == 1  # one test a quarter
    await drainer.drain_now()
    first, other = FIRST_MEMBER_ID, FIRST_MEMBER_ID + 1
    assert len(_polls(sender, first)) == 1 and len(_polls(sender, other)) == 1

    message = _polls(sender, first)[-1]
    await quiz.poll_sent(services, message.poll.ref, "poll-a1")
    assert not await quiz.answered(services, other, "poll-a1", [message.poll.correct])  # not theirs
    assert not await quiz.answered(services, first, "no-such-poll", [0])
    assert await quiz.answered(services, first, "poll-a1", [message.poll.correct])
    assert not await quiz.answered(services, first, "poll-a1", [0])  # answered already
    await drainer.drain_now()
    assert await _answer_current(services, sender, first, "poll-a2", right=False)
    await drainer.drain_now()
    assert "答对 1 / 2 题" in sender.texts_to(first)[-1]

    services.clock.set(services.clock.now() + timedelta(days=60))  # past 12-31
    assert not await _answer_current(services, sender, other, "poll-b1")
    progress = await store.progress(services.db, 1)
    assert progress[cast.people[0].id] == (2, 2, 1) and progress[cast.people[1].id] == (2, 0, 0)

    campaign = await evaluation.open_campaign(services, SECRETARY_ID, 14)
    rows = {r.member.id: r for r in (await compile_results(services, campaign)).rows}
    assert rows[cast.people[0].id].tests == ("2026年第四季度 答对 1/2",)
    assert rows[cast.people[1].id].tests == ("2026年第四季度 答对 0/2（答 0 题，未完成）",)


async def test_an_officers_bank_and_test_reach_every_branch_below(services, cast, drainer, sender):
    """The unit's officer uploads a bank and starts the test for the subtree: the branch below gets it; its
    secretary sees completion; a member sees only their own answers, and not the unanswered ones before the end."""
    town = await units.create_unit(services, "城关镇党委", None)
    await units.add_officer(services, town.id, OFFICER, "张委员")
    async with services.db.write() as tx:
        await unit_store.place_branch(tx, cast.branch_id, town.id)
    assert (await _upload(services, OFFICER)).owner.unit_id == town.id
    assert await quiz_bank.bank_for(services, cast.branch_id, None) is not None  # the unit's bank reaches the branch
    await quiz.begin_start(services, OFFICER)
    assert (await quiz.start(services, OFFICER, "3 12-31")).branches == 1
    await drainer.drain_now()
    view = await quiz.overview(services, OFFICER)
    assert [line.completion.members for line in view.lines] == [4]
    mine = await quiz.my_results(services, FIRST_MEMBER_ID, view.lines[0].quiz.id)
    assert (mine.asked, mine.items) == (3, [])  # nothing answered: no explanation shown yet


async def test_a_test_started_late_in_the_evening_reaches_members_in_the_morning(services, cast, drainer, sender,
                                                                                clock):
    """Started at 23:00 Shanghai time, nobody's phone rings: the announcement and the first question wait for
    07:00; the next question, answering the member's own answer, would go at once (the other test shows it)."""
    await _upload(services, SECRETARY_ID)
    clock.set(datetime(2026, 11, 23, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    await quiz.begin_start(services, SECRETARY_ID)
    await quiz.start(services, SECRETARY_ID, "2 12-31")
    await drainer.drain_now()
    assert _polls(sender, FIRST_MEMBER_ID) == []
    clock.set(datetime(2026, 11, 23, 23, 0, tzinfo=UTC))  # 07:00
    await drainer.drain_now()
    assert len(_polls(sender, FIRST_MEMBER_ID)) == 1
