"""学习测试, the quarterly theory test over Telegram quiz polls: the secretary (for the branch) or a unit's officer
(for every branch of its subtree) starts the quarter's test — N questions a member, a last day; zhibu draws each
member's questions from the newest bank in reach and sends them one by one through the outbox, the next after each
answer (a poll_answer update); a member sees their own score and the explanations, the secretary and officers the
completion and the branch's average — never a ranking, no points, no daily quota. An answer after the deadline,
from someone else or to a question answered already is ignored. Banks: bot/services/quiz_bank.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.callbacks import quiz as cb
from bot.domain import dates
from bot.domain import quiz as rules
from bot.domain.models import Branch, Member
from bot.domain.outbox import OutboxRow, Planned
from bot.errors import UserError
from bot.features import Feature
from bot.keys import quiz as keys
from bot.keys import refs
from bot.outgoing import Outgoing, QuizPoll, button
from bot.render import word
from bot.services import Services, membership, quiz_bank
from bot.services.quiz_bank import Owner
from storage import branches, conversations, members, outbox, quiz
from storage import units as unit_store
from storage.connection import Conn

RECORDING_WAITS, RECORDING_WAIT_S = 5, 0.2
STARTING = "quiz_start"  # the conversation: waiting for "N 截止日期"
QUESTION, DONE, ANNOUNCE = "quiz.question", "quiz.done", "quiz.announce"


def _tz(svc: Services, branch: Branch) -> str:
    return branch.tz or svc.settings.tz


async def _branches_of(svc: Services, found: Owner) -> list[Branch]:
    if found.branch_id is not None:
        return [await branches.get(svc.db, found.branch_id)]
    return await unit_store.branches_under(svc.db, [found.unit_id])


async def begin_start(svc: Services, telegram_id: int) -> dict:
    """开始本季度测试: asks for N and the last day (a bank must be in reach)."""
    found = await quiz_bank.owner(svc, telegram_id)
    bank = await quiz_bank.bank_for(svc, found.branch_id, found.unit_id)
    if bank is None:
        raise UserError("quiz/no_bank.j2")
    today = dates.local(svc.now(), svc.settings.tz).date()
    async with svc.db.write() as db:
        await conversations.save(db, telegram_id, STARTING, "numbers", {}, svc.now())
    return {"owner": found.name, "questions": bank[1], "quarter": rules.quarter_of(today),
            "example": f"10 {dates.numeric_day(rules.quarter_end(today))}"}


@dataclass
class Started:
    quarter: str
    per_member: int
    last_day: str
    branches: int = 0
    members: int = 0
    had: int = 0  # branches that have this quarter's test already


async def start(svc: Services, telegram_id: int, text: str | None) -> Started:
    """The quarter's test for the owner's branches: each member's questions drawn and the first sent."""
    found = await quiz_bank.owner(svc, telegram_id)
    today = dates.local(svc.now(), svc.settings.tz).date()
    parsed = rules.parse_start(text or "", today)
    if parsed is None:
        raise UserError("quiz/bad_start.j2", example=f"10 {dates.numeric_day(rules.quarter_end(today))}",
                        most=rules.PER_MEMBER[1])
    n, last = parsed
    started = Started(rules.quarter_of(today), n, dates.full_day(last))
    for branch in await _branches_of(svc, found):
        bank = await quiz_bank.bank_for(svc, branch.id, None) if found.branch_id else await quiz_bank.bank_for(
            svc, None, found.unit_id)
        if bank is not None:
            await _start_branch(svc, branch, bank[0], n, rules.deadline_at(last, _tz(svc, branch)), telegram_id,
                                started)
    async with svc.db.write() as db:
        await conversations.clear(db, telegram_id)
    svc.wake_outbox()
    return started


async def _start_branch(svc: Services, branch: Branch, bank_id: int, n: int, deadline: datetime, telegram_id: int,
                        started: Started) -> None:
    now = svc.now()
    async with svc.db.write() as db:
        made = await quiz.create(db, branch.id, bank_id, started.quarter, n, deadline, telegram_id, now)
        if made is None:
            started.had += 1
            return
        started.branches += 1
        question_ids = await quiz.question_ids(db, bank_id)
        for member in await members.in_branch(db, branch.id):
            if member.telegram_id is None:
                continue  # no Telegram: the secretary tests them on paper
            drawn = rules.draw(question_ids, n)
            await quiz.add_items(db, made.id, member.id, drawn)
            started.members += 1
            params = {"quarter": dates.quarter(int(made.quarter[:4]), int(made.quarter[-1])), "count": len(drawn),
                      "deadline": started.last_day}
            # The start reaches members when the member's quiet hours allow (a test started late in the evening
            # waits for the morning); each next question answers the member's own answer and goes at once.
            await _plan(db, member, made, keys.announce(made.id, member.id), ANNOUNCE,
                        Outgoing(template="quiz/announce.j2", params=params), now, urgent=False)
            first = (await quiz.items(db, made.id, member.id))[0]
            await _plan(db, member, made, keys.question(made.id, member.id, 1), QUESTION, _poll(first, len(drawn)),
                        now, urgent=False)


def _poll(item: quiz.Item, total: int) -> Outgoing:
    q = item.question
    return Outgoing(template="quiz/question.j2", params={"seq": item.seq, "total": total, "question": q.question},
                    poll=QuizPoll(ref=refs.quiz_item(item.id), options=q.options, correct=q.correct, explanation=q.explanation))


async def _plan(db: Conn, member: Member, made: quiz.Quiz, key: str, kind: str, message: Outgoing,
                now: datetime, *, urgent: bool = True) -> None:
    """Sent through the outbox now; `urgent` ones even in the member's quiet hours (the answer to their own act)."""
    await outbox.upsert(db, Planned(key=key, chat_id=member.telegram_id, kind=kind, payload=message, due_at=now,
                                    expires_at=made.deadline, branch_id=member.branch_id, member_id=member.id,
                                    urgent=urgent), now)


async def poll_sent(svc: Services, ref: str, poll_id: str) -> None:
    """A question's poll went out: its answers will come by this poll id."""
    async with svc.db.write() as db:
        await quiz.set_poll(db, refs.quiz_item.read(ref).item, poll_id)


async def _item_of(svc: Services, poll_id: str) -> quiz.Item | None:
    """The question a poll asked. A quick answer can outrun the recording of the poll's id (the person sees the
    poll before sendPoll's answer has come back to zhibu), so an unknown id is looked up again for a second."""
    for _ in range(RECORDING_WAITS):
        item = await quiz.by_poll(svc.db, poll_id)
        if item is not None:
            return item
        await asyncio.sleep(RECORDING_WAIT_S)
    return await quiz.by_poll(svc.db, poll_id)


async def answered(svc: Services, telegram_id: int, poll_id: str, option_ids: list[int]) -> bool:
    """A poll_answer: recorded, and the next question (or the score) planned; False when ignored (not one of our
    questions, someone else's, after the deadline, answered already, or a retracted vote)."""
    item = await _item_of(svc, poll_id)
    if item is None or len(option_ids) != 1:
        return False
    made, member, now = await quiz.get(svc.db, item.quiz_id), await members.get(svc.db, item.member_id), svc.now()
    if (made is None or member is None or member.telegram_id != telegram_id or not member.is_active
            or member.branch_id != made.branch_id or not rules.open_at(made.deadline, now)):
        return False
    async with svc.db.write() as db:
        if not await quiz.answer(db, item.id, option_ids[0], now):
            return False
        mine = await quiz.items(db, made.id, member.id)
        following = next((i for i in mine if i.chosen is None), None)
        if following is not None:
            await _plan(db, member, made, keys.question(made.id, member.id, following.seq), QUESTION,
                        _poll(following, len(mine)), now)
        else:
            right = sum(i.chosen == i.question.correct for i in mine)
            done = Outgoing(template="quiz/done.j2", params={"right": right, "total": len(mine)},
                            buttons=[[button("quiz/mine", cb.mine(made.id))]])
            await _plan(db, member, made, keys.done(made.id, member.id), DONE, done, now)
    svc.wake_outbox()
    return True


async def _question_relevant(svc: Services, row: OutboxRow, now: datetime) -> bool:
    """A question still goes out while it is unanswered and its member still in the branch."""
    parsed = keys.question.parse(row.key)
    if parsed is None:
        return False
    mine = await quiz.items(svc.db, parsed.quiz, parsed.member)
    member = await members.get(svc.db, parsed.member)
    item = next((i for i in mine if i.seq == parsed.seq), None)
    return item is not None and item.chosen is None and member is not None and member.is_active


# --- what people see ----------------------------------------------------------------------------------------------

@dataclass
class Mine:
    quiz: quiz.Quiz
    items: list[quiz.Item]
    closed: bool  # past the deadline: every question shown, answered or not
    asked: int  # the member's questions (items holds the ones shown)

    @property
    def right(self) -> int:
        return sum(i.chosen == i.question.correct for i in self.items)

    @property
    def answered(self) -> int:
        return sum(i.chosen is not None for i in self.items)


async def my_results(svc: Services, telegram_id: int, quiz_id: int) -> Mine:
    """A member's own answers with the right options and explanations (questions not answered yet stay hidden
    until the deadline, so the explanations never give an answer away)."""
    member = await membership.active_member(svc, telegram_id)
    made = await quiz.get(svc.db, quiz_id)
    if made is None or made.branch_id != member.branch_id:
        raise UserError("common/stale.j2")
    closed = not rules.open_at(made.deadline, svc.now())
    mine = await quiz.items(svc.db, made.id, member.id)
    return Mine(made, [i for i in mine if closed or i.chosen is not None], closed, len(mine))


@dataclass
class BranchLine:
    branch: Branch
    quiz: quiz.Quiz
    completion: rules.Completion


@dataclass
class Overview:
    member: Member | None
    mine: list[Mine]  # the member's own tests
    owner: Owner | None  # a secretary's or officer's view
    lines: list[BranchLine]


async def overview(svc: Services, telegram_id: int) -> Overview:
    """/quiz: a member's own tests; a secretary's or officer's the completion and average of each branch's latest."""
    member = await membership.member_of(svc, telegram_id)
    member = member if member is not None and member.is_active else None
    mine = []
    if member is not None:
        for made in (await quiz.of_branch(svc.db, member.branch_id))[:4]:
            items = await quiz.items(svc.db, made.id, member.id)
            mine.append(Mine(made, items, not rules.open_at(made.deadline, svc.now()), len(items)))
    try:
        found: Owner | None = await quiz_bank.owner(svc, telegram_id)
    except UserError:
        found = None
    if member is None and found is None:
        raise UserError("quiz/not_allowed.j2")
    lines = []
    for branch in await _branches_of(svc, found) if found else []:
        latest = (await quiz.of_branch(svc.db, branch.id))[:1]
        for made in latest:
            progress = await quiz.progress(svc.db, made.id)
            lines.append(BranchLine(branch, made, rules.completion(list(progress.values()))))
    return Overview(member, [m for m in mine if m.items], found, lines[:30])


def register_line(quarter: str, asked: int, answered: int, right: int) -> str:
    """A member's test in the evaluation register: 2026年第四季度 答对 2/3 (or 未完成)."""
    return word("quiz/register_line", quarter=dates.quarter(int(quarter[:4]), int(quarter[-1])), asked=asked,
                answered=answered, right=right)


FEATURE = Feature(name="quiz", relevance={QUESTION: _question_relevant})
