"""Votes at a 支部党员大会 (bot/domain/votes.py): a typed motion read with its counts, the quorum (more than half of
应到), the result (more than half of 应到 in favour), and counts that cannot be true refused."""

import pytest

from bot.domain import votes
from bot.domain.votes import BadVote, Outcome, Refusal, Vote, Voting


def test_a_typed_vote_reads_its_motion_and_counts():
    """'事项：赞成 12，反对 0，弃权 1' gives the motion and the three counts; a missing 反对 or 弃权 is 0."""
    vote = votes.parse("同意接收李明为预备党员：赞成 12，反对 0，弃权 1")
    assert vote == Vote(motion="同意接收李明为预备党员", yes=12, no=0, abstain=1)
    short = votes.parse("选举张三为支部委员 同意9票 不同意1票")
    assert (short.motion, short.yes, short.no, short.abstain) == ("选举张三为支部委员", 9, 1, 0)
    assert votes.parse("调整党小组：实到 5，赞成 4，弃权 1").present == 5


@pytest.mark.parametrize("text", ["赞成 3", "通过了", "同意接收李明", ""])
def test_a_line_without_motion_or_yes_count_is_unreadable(text):
    """No motion before the counts, or no 赞成 count: refused as unreadable."""
    with pytest.raises(BadVote) as refused:
        votes.parse(text)
    assert refused.value.refusal is Refusal.UNREADABLE


def test_quorum_is_more_than_half_of_those_expected():
    """4 of 7 is a quorum, 3 of 6 is not; nobody expected is never one."""
    assert votes.quorum(7, 4) and not votes.quorum(6, 3) and not votes.quorum(0, 0)


def test_outcome_needs_a_quorum_and_more_than_half_of_expected_in_favour():
    """With a quorum, 赞成 over half of 应到 passes (4 of 7) and 3 of 7 fails; without one the vote is void."""
    voting = Voting(expected=7, present=5)
    assert votes.outcome(Vote(motion="甲", yes=4, no=1, abstain=0), voting) is Outcome.PASSED
    assert votes.outcome(Vote(motion="乙", yes=3, no=0, abstain=2), voting) is Outcome.FAILED
    assert votes.outcome(Vote(motion="丙", yes=3, no=0, abstain=0, present=3), voting) is Outcome.NO_QUORUM
    assert votes.outcome(Vote(motion="丁", yes=3, no=0, abstain=0), Voting(expected=7, present=3)) is Outcome.NO_QUORUM


def test_counts_beyond_those_present_are_refused():
    """赞成+反对+弃权 over 实到, or a vote's 实到 over the meeting's, cannot be true."""
    voting = Voting(expected=7, present=5)
    with pytest.raises(BadVote) as refused:
        votes.check(Vote(motion="甲", yes=4, no=1, abstain=1), voting)
    assert refused.value.refusal is Refusal.COUNTS_TOO_MANY and refused.value.params == {"total": 6, "present": 5}
    with pytest.raises(BadVote) as refused:
        votes.check(Vote(motion="甲", yes=1, no=0, abstain=0, present=6), voting)
    assert refused.value.refusal is Refusal.PRESENT_TOO_MANY
    assert votes.check(Vote(motion="甲", yes=2, no=1, abstain=1, present=4), voting).present == 4


def test_shown_votes_carry_expected_present_quorum_and_result():
    """What the card and the book print for each vote."""
    shown = votes.shown([Vote(motion="甲", yes=4, no=0, abstain=0)], Voting(expected=6, present=4))
    assert shown == [{"motion": "甲", "yes": 4, "no": 0, "abstain": 0, "present": 4, "expected": 6, "quorum": True,
                      "outcome": "passed"}]
