"""学习测试's pure rules: a bank row checked against Telegram's quiz limits, the start's "N 截止日期", the draw, and
the branch's completion and average (a share of right answers, no ranking)."""

from __future__ import annotations

import random
from datetime import date

from bot.domain import quiz as rules


def test_a_good_row_becomes_a_question_with_its_answer_letter_as_index():
    """Trailing empty options are dropped, the letter (any case, a trailing dot) is the option's index, numbers
    read from Excel as floats become text."""
    found = rules.parse_row(3, "  党章规定预备期几年？ ", [1.0, "两年", None, None], "b.", "第七条")
    assert found == rules.Question(number=3, question="党章规定预备期几年？", options=["1", "两年"], correct=1,
                                   explanation="第七条")


def test_every_bad_row_says_why():
    """No question, too long, one option, a gap between options, an answer that is no option, a long explanation."""
    cases = {
        "no_question": ("", ["甲", "乙"], "A", ""),
        "question_long": ("问" * 281, ["甲", "乙"], "A", ""),
        "options": ("问", ["甲"], "A", ""),
        "option_long": ("问", ["甲" * 101, "乙"], "A", ""),
        "answer": ("问", ["甲", "乙"], "C", ""),
        "explanation": ("问", ["甲", "乙"], "A", "一\n二\n三\n四"),
    }
    for reason, (question, options, answer, explanation) in cases.items():
        assert rules.parse_row(7, question, options, answer, explanation) == rules.BadRow(7, reason), reason
    assert rules.parse_row(8, "问", ["甲", None, "丙"], "A", "") == rules.BadRow(8, "options")


def test_start_reads_count_and_last_day_within_bounds():
    """"10 12-31" and "10 2026-12-31" read; a past day, 0 or 51 questions, or words do not."""
    today = date(2026, 11, 23)
    assert rules.parse_start("10 12-31", today) == (10, date(2026, 12, 31))
    assert rules.parse_start("5题 2026年12月1日", today) == (5, date(2026, 12, 1))
    for text in ("10 11-01", "0 12-31", "51 12-31", "十题", "10 13-40", "10 2027-06-30"):
        assert rules.parse_start(text, today) is None, text


def test_draw_gives_distinct_questions_and_all_of_a_small_bank():
    """N different questions; a bank smaller than N gives every question once."""
    drawn = rules.draw(list(range(100)), 10, random.Random(1))
    assert len(drawn) == 10 and len(set(drawn)) == 10
    assert sorted(rules.draw([4, 5, 6], 10, random.Random(1))) == [4, 5, 6]


def test_completion_counts_finished_and_averages_their_shares():
    """Finished members' shares are averaged (3/3 and 1/2: 75 %); a member part-way counts as started only."""
    found = rules.completion([(3, 3, 3), (2, 2, 1), (3, 1, 1), (3, 0, 0)])
    assert found == rules.Completion(members=4, finished=2, started=3, average_pct=75)
    assert rules.completion([(3, 0, 0)]).average_pct is None


def test_quarters():
    """A day's quarter and the quarter's last day."""
    assert rules.quarter_of(date(2026, 11, 23)) == "2026Q4"
    assert rules.quarter_end(date(2026, 11, 23)) == date(2026, 12, 31)
    assert rules.quarter_end(date(2026, 2, 1)) == date(2026, 3, 31)
