"""Votes (表决) at a 支部党员大会: what the minutes record of each one and the rules that judge it — plain functions.

Seed 000: 不得以传阅或个别征求意见等形式代替集体议事和会议表决. 应到 counts the full members expected (预备党员 have no
vote); a vote may be taken only when more than half of 应到 is present (the quorum), and a motion passes with the
votes of more than half of 应到 (以超过应到会有表决权的党员的半数同意为通过, as the 党章 asks of admitting a member).
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, Field

MOTION_MAX = 100
VOTES_MAX = 20  # motions recorded for one meeting


class Vote(BaseModel):
    """One motion put to the vote: its counts as the recorder typed them; `present` when fewer voters were in the
    room than the meeting's 实到 (someone left before this vote)."""

    motion: str = Field(min_length=1, max_length=MOTION_MAX)
    yes: int = Field(ge=0)
    no: int = Field(ge=0)
    abstain: int = Field(ge=0)
    present: int | None = Field(default=None, ge=0)


class Voting(BaseModel):
    """Who had a vote at the meeting: 应到 (full members expected) and 实到 (of them, present)."""

    expected: int = Field(ge=0)
    present: int = Field(ge=0)


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NO_QUORUM = "no_quorum"  # fewer than half of 应到 present: no vote can be taken


class Refusal(StrEnum):
    """Why a typed vote is not recorded (worded in templates/minutes/bad_vote.j2)."""

    UNREADABLE = "unreadable"  # no 赞成 count, or no motion
    MOTION_TOO_LONG = "motion_too_long"
    PRESENT_TOO_MANY = "present_too_many"  # a vote's 实到 over the meeting's
    COUNTS_TOO_MANY = "counts_too_many"  # 赞成 + 反对 + 弃权 over 实到


class BadVote(ValueError):
    def __init__(self, refusal: Refusal, **params: int | str) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal
        self.params = params


_COUNT = {"yes": r"(?:赞成|同意)", "no": r"(?:反对|不同意)", "abstain": r"弃权", "present": r"实到"}
_NUMBER = r"\s*[:：]?\s*(\d{1,4})\s*(?:票|人)?"
_SEPARATORS = " \t:：,，;；。.、"


def _count(text: str, word: str) -> tuple[int | None, int | None]:
    """(the number after the word, where the word starts) or (None, None)."""
    pattern = _COUNT[word]
    if word == "yes":  # 同意 but not 不同意
        pattern = r"(?<!不)" + pattern
    found = re.search(pattern + _NUMBER, text)
    return (int(found.group(1)), found.start()) if found else (None, None)


def parse(text: str) -> Vote:
    """'同意接收李明为预备党员：赞成 12，反对 0，弃权 1' (实到 9 may be added; a missing 反对 or 弃权 is 0)."""
    counts = {word: _count(text, word) for word in _COUNT}
    yes, _ = counts["yes"]
    starts = [start for _, start in counts.values() if start is not None]
    motion = text[: min(starts)].strip(_SEPARATORS) if starts else ""
    if yes is None or not motion:
        raise BadVote(Refusal.UNREADABLE)
    if len(motion) > MOTION_MAX:
        raise BadVote(Refusal.MOTION_TOO_LONG, max=MOTION_MAX, length=len(motion))
    return Vote(motion=motion, yes=yes, no=counts["no"][0] or 0, abstain=counts["abstain"][0] or 0,
                present=counts["present"][0])


def present_at(vote: Vote, voting: Voting) -> int:
    """How many with a vote were there when this motion was voted on."""
    return voting.present if vote.present is None else vote.present


def check(vote: Vote, voting: Voting) -> Vote:
    """A vote whose counts cannot be true is refused: more voters than were there."""
    if vote.present is not None and vote.present > voting.present:
        raise BadVote(Refusal.PRESENT_TOO_MANY, present=vote.present, meeting=voting.present)
    there = present_at(vote, voting)
    total = vote.yes + vote.no + vote.abstain
    if total > there:
        raise BadVote(Refusal.COUNTS_TOO_MANY, total=total, present=there)
    return vote


def quorum(expected: int, present: int) -> bool:
    """More than half of 应到 present (a meeting nobody is expected at has none)."""
    return expected > 0 and present * 2 > expected


def outcome(vote: Vote, voting: Voting) -> Outcome:
    if not quorum(voting.expected, present_at(vote, voting)):
        return Outcome.NO_QUORUM
    return Outcome.PASSED if vote.yes * 2 > voting.expected else Outcome.FAILED


def shown(votes: list[Vote], voting: Voting) -> list[dict[str, object]]:
    """Each vote as the form, the card and the book show it: its counts, 应到, 实到, quorum and result."""
    return [{**v.model_dump(), "expected": voting.expected, "present": present_at(v, voting),
             "quorum": quorum(voting.expected, present_at(v, voting)), "outcome": outcome(v, voting).value}
            for v in votes]
