"""学习测试 (the quarterly theory test, seed 004's "年考一次", seed 002's quarterly test): pure rules.

A question bank row is checked against Telegram's limits for a quiz poll (bot.emulator.polls has the same numbers):
a question of at most QUESTION_MAX characters (a few are kept for the "3/10" in front), 2-10 options of at most
100 characters, the right option among them, an explanation of at most 200 characters with at most two line
breaks. A member's questions are drawn without repeats; a score is a member's own, and what a branch sees is its
completion and average — never a ranking (the 2023 opinion against 指尖上的形式主义: no points, no daily quota)."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

QUESTION_MAX = 280  # Telegram takes 300; "第10/20题 " goes in front
OPTION_MAX = 100
OPTIONS = (2, 10)
EXPLANATION_MAX = 200
EXPLANATION_BREAKS = 2
PER_MEMBER = (1, 50)
LETTERS = "ABCDEFGHIJ"


class Question(BaseModel):
    id: int = 0
    number: int  # its row in the file
    question: str
    options: list[str]
    correct: int  # from 0
    explanation: str = ""


@dataclass(frozen=True)
class BadRow:
    number: int
    reason: str  # a word code of templates/quiz/words.j2


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_row(number: int, question: object, options: Sequence[object], answer: object,
              explanation: object) -> Question | BadRow:
    """One row of a bank: a Question, or why it is bad (the first reason found)."""
    text = _text(question)
    found = [_text(o) for o in options]
    while found and not found[-1]:
        found.pop()
    said = _text(answer).upper().replace("．", "").rstrip(".")
    note = _text(explanation)
    if not text:
        return BadRow(number, "no_question")
    if len(text) > QUESTION_MAX:
        return BadRow(number, "question_long")
    if "" in found or not OPTIONS[0] <= len(found) <= OPTIONS[1]:
        return BadRow(number, "options")
    if any(len(o) > OPTION_MAX for o in found):
        return BadRow(number, "option_long")
    if len(said) != 1 or said not in LETTERS[: len(found)]:
        return BadRow(number, "answer")
    if len(note) > EXPLANATION_MAX or note.count("\n") > EXPLANATION_BREAKS:
        return BadRow(number, "explanation")
    return Question(number=number, question=text, options=found, correct=LETTERS.index(said), explanation=note)


def draw(question_ids: Sequence[int], n: int, rng: random.Random | None = None) -> list[int]:
    """N different questions for one member (all of them, shuffled, when the bank has fewer)."""
    chooser = rng or random.SystemRandom()
    return chooser.sample(list(question_ids), min(n, len(question_ids)))


def quarter_of(day: date) -> str:
    """2026Q4"""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_end(day: date) -> date:
    last_month = ((day.month - 1) // 3 + 1) * 3
    first_next = date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return first_next - timedelta(days=1)


_START = re.compile(r"^\s*(\d{1,3})\s*(?:题)?\s+(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?\s*$")


def parse_start(text: str, today: date) -> tuple[int, date] | None:
    """ "10 12-31" or "10 2026-12-31": N questions a member, the last day to answer (today or later, within the
    quarter it was started in or the next); None when it does not read so."""
    found = _START.match(text or "")
    if not found:
        return None
    n = int(found.group(1))
    try:
        last = date(int(found.group(2) or today.year), int(found.group(3)), int(found.group(4)))
    except ValueError:
        return None
    if not PER_MEMBER[0] <= n <= PER_MEMBER[1] or not today <= last <= today + timedelta(days=120):
        return None
    return n, last


def deadline_at(last_day: date, tz: str) -> datetime:
    """The end of the last local day."""
    return datetime.combine(last_day + timedelta(days=1), time(0), ZoneInfo(tz))


def open_at(deadline: datetime, now: datetime) -> bool:
    return now < deadline


@dataclass(frozen=True)
class Completion:
    members: int  # who were asked
    finished: int  # answered every question
    started: int  # answered at least one
    average_pct: int | None  # of the finished members' right answers; None before anyone finished


def completion(progress: Sequence[tuple[int, int, int]]) -> Completion:
    """(asked, answered, right) per member → how far the branch is, and its average share of right answers among
    those who finished (a share, so members with fewer questions weigh the same)."""
    finished = [(asked, right) for asked, answered, right in progress if asked and answered >= asked]
    started = sum(1 for _, answered, _ in progress if answered)
    average = round(100 * sum(r / a for a, r in finished) / len(finished)) if finished else None
    return Completion(len(progress), len(finished), started, average)
