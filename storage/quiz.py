"""学习测试: question banks, the quarter's tests, and each member's drawn questions with their answers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.domain.quiz import Question
from storage.connection import Conn, Row, one_row
from storage.times import to_db


@dataclass(frozen=True)
class Quiz:
    id: int
    branch_id: int
    bank_id: int
    quarter: str
    per_member: int
    deadline: datetime


@dataclass(frozen=True)
class Item:
    id: int
    quiz_id: int
    member_id: int
    seq: int
    question: Question
    chosen: int | None


def _quiz(row: Row) -> Quiz:
    return Quiz(row["id"], row["branch_id"], row["bank_id"], row["quarter"], row["per_member"],
                datetime.fromisoformat(row["deadline"]))


def _question(row: Row) -> Question:
    return Question(id=row["qid"], number=row["number"], question=row["question"], options=json.loads(row["options"]),
                    correct=row["correct"], explanation=row["explanation"])


def _item(row: Row) -> Item:
    return Item(row["id"], row["quiz_id"], row["member_id"], row["seq"], _question(row), row["chosen"])


async def add_bank(db: Conn, *, unit_id: int | None, branch_id: int | None, name: str, created_by: int,
                   questions: Sequence[Question], now: datetime) -> int:
    async with db.execute(
        """INSERT INTO quiz_banks (unit_id, branch_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)
           RETURNING id""", (unit_id, branch_id, name, created_by, to_db(now))) as cur:
        bank_id = int((await one_row(cur))["id"])
    for q in questions:
        await db.execute(
            """INSERT INTO quiz_questions (bank_id, number, question, options, correct, explanation)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (bank_id, q.number, q.question, json.dumps(q.options, ensure_ascii=False), q.correct, q.explanation))
    return bank_id


async def newest_bank(db: Conn, *, branch_id: int | None = None, unit_id: int | None = None) -> tuple[int, int] | None:
    """(bank id, questions) of the newest bank of a branch or of a unit."""
    column, value = ("branch_id", branch_id) if branch_id is not None else ("unit_id", unit_id)
    async with db.execute(
        f"""SELECT b.id, (SELECT count(*) FROM quiz_questions q WHERE q.bank_id = b.id) AS n FROM quiz_banks b
            WHERE b.{column} = ? ORDER BY b.id DESC LIMIT 1""", (value,)) as cur:
        row = await cur.fetchone()
    return (row["id"], row["n"]) if row else None


async def question_ids(db: Conn, bank_id: int) -> list[int]:
    async with db.execute("SELECT id FROM quiz_questions WHERE bank_id = ? ORDER BY id", (bank_id,)) as cur:
        return [r["id"] for r in await cur.fetchall()]


_QUIZ = "id, branch_id, bank_id, quarter, per_member, deadline"


async def create(db: Conn, branch_id: int, bank_id: int, quarter: str, per_member: int, deadline: datetime,
                 started_by: int, now: datetime) -> Quiz | None:
    """The branch's test for the quarter; None when it has one already."""
    async with db.execute(
        f"""INSERT INTO quizzes (branch_id, bank_id, quarter, per_member, deadline, started_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (branch_id, quarter) DO NOTHING RETURNING {_QUIZ}""",
        (branch_id, bank_id, quarter, per_member, to_db(deadline), started_by, to_db(now))) as cur:
        row = await cur.fetchone()
    return _quiz(row) if row else None


async def get(db: Conn, quiz_id: int) -> Quiz | None:
    async with db.execute(f"SELECT {_QUIZ} FROM quizzes WHERE id = ?", (quiz_id,)) as cur:
        row = await cur.fetchone()
    return _quiz(row) if row else None


async def of_branch(db: Conn, branch_id: int, year: int | None = None) -> list[Quiz]:
    """The branch's tests, newest first (of one year: its quarters)."""
    where, args = ("AND quarter LIKE ?", (branch_id, f"{year}Q%")) if year else ("", (branch_id,))
    async with db.execute(f"SELECT {_QUIZ} FROM quizzes WHERE branch_id = ? {where} ORDER BY quarter DESC",
                          args) as cur:
        return [_quiz(r) for r in await cur.fetchall()]


async def add_items(db: Conn, quiz_id: int, member_id: int, question_ids: Sequence[int]) -> None:
    for seq, question_id in enumerate(question_ids, start=1):
        await db.execute(
            """INSERT INTO quiz_items (quiz_id, member_id, seq, question_id) VALUES (?, ?, ?, ?)
               ON CONFLICT (quiz_id, member_id, seq) DO NOTHING""", (quiz_id, member_id, seq, question_id))


_ITEM = """SELECT i.id, i.quiz_id, i.member_id, i.seq, i.chosen, q.id AS qid, q.number, q.question, q.options,
                  q.correct, q.explanation
           FROM quiz_items i JOIN quiz_questions q ON q.id = i.question_id"""


async def items(db: Conn, quiz_id: int, member_id: int) -> list[Item]:
    async with db.execute(_ITEM + " WHERE i.quiz_id = ? AND i.member_id = ? ORDER BY i.seq",
                          (quiz_id, member_id)) as cur:
        return [_item(r) for r in await cur.fetchall()]


async def item(db: Conn, item_id: int) -> Item | None:
    async with db.execute(_ITEM + " WHERE i.id = ?", (item_id,)) as cur:
        row = await cur.fetchone()
    return _item(row) if row else None


async def by_poll(db: Conn, poll_id: str) -> Item | None:
    async with db.execute(_ITEM + " WHERE i.poll_id = ?", (poll_id,)) as cur:
        row = await cur.fetchone()
    return _item(row) if row else None


async def set_poll(db: Conn, item_id: int, poll_id: str) -> None:
    await db.execute("UPDATE quiz_items SET poll_id = ? WHERE id = ? AND poll_id IS NULL", (poll_id, item_id))


async def answer(db: Conn, item_id: int, chosen: int, now: datetime) -> bool:
    """The option chosen; False when this question was answered already."""
    async with db.execute("UPDATE quiz_items SET chosen = ?, answered_at = ? WHERE id = ? AND chosen IS NULL",
                          (chosen, to_db(now), item_id)) as cur:
        return cur.rowcount == 1


async def progress(db: Conn, quiz_id: int) -> dict[int, tuple[int, int, int]]:
    """member id → (asked, answered, right)."""
    async with db.execute(
        """SELECT i.member_id, count(*) AS asked, count(i.chosen) AS answered,
                  sum(CASE WHEN i.chosen = q.correct THEN 1 ELSE 0 END) AS right_answers
           FROM quiz_items i JOIN quiz_questions q ON q.id = i.question_id
           WHERE i.quiz_id = ? GROUP BY i.member_id""", (quiz_id,)) as cur:
        return {r["member_id"]: (r["asked"], r["answered"], r["right_answers"] or 0) for r in await cur.fetchall()}


async def of_year(db: Conn, branch_id: int, year: int) -> dict[int, list[tuple[str, int, int, int]]]:
    """member id → (quarter, asked, answered, right) of each of the branch's tests that year, by quarter."""
    async with db.execute(
        """SELECT i.member_id, z.quarter, count(*) AS asked, count(i.chosen) AS answered,
                  sum(CASE WHEN i.chosen = q.correct THEN 1 ELSE 0 END) AS right_answers
           FROM quizzes z JOIN quiz_items i ON i.quiz_id = z.id JOIN quiz_questions q ON q.id = i.question_id
           WHERE z.branch_id = ? AND z.quarter LIKE ? GROUP BY i.member_id, z.quarter
           ORDER BY i.member_id, z.quarter""", (branch_id, f"{year}Q%")) as cur:
        found: dict[int, list[tuple[str, int, int, int]]] = {}
        for r in await cur.fetchall():
            found.setdefault(r["member_id"], []).append((r["quarter"], r["asked"], r["answered"],
                                                         r["right_answers"] or 0))
    return found
