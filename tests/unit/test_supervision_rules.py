"""The pure rules of 述职评议 and 约谈: how a typed 问题清单 is read, and when a 约谈's written report is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain import followup, yuetan
from bot.domain import shuzhi as rules


def test_problems_are_read_one_a_line_with_their_numbering_left_off():
    """"1." "（二）" "- " "第三条：" numbering and blank lines go; the words of each problem stay as typed."""
    typed = "1. 会议记录不完整\n\n（二）党费收缴不及时\n- 学习形式单一\n第四条：发展党员程序不规范"
    assert rules.parse_problems(typed) == ["会议记录不完整", "党费收缴不及时", "学习形式单一", "发展党员程序不规范"]


@pytest.mark.parametrize(("typed", "already", "reason", "line"), [
    ("\n  \n", 0, "empty", 0),
    ("1. 好\n2. " + "长" * (rules.PROBLEM_MAX + 1), 0, "too_long", 2),
    ("一\n二\n三", rules.PROBLEMS_MAX - 2, "too_many", rules.PROBLEMS_MAX + 1),
])
def test_a_list_that_cannot_be_kept_is_refused_with_its_reason(typed, already, reason, line):
    """Empty, a line over PROBLEM_MAX, or more than PROBLEMS_MAX with those kept: refused, saying which."""
    with pytest.raises(rules.ProblemsRefused) as refused:
        rules.parse_problems(typed, already)
    assert (refused.value.reason, refused.value.line) == (reason, line)


def test_a_yuetan_report_is_due_at_the_end_of_the_same_day_a_month_later():
    """Recorded on 25 November (Shanghai), the report is due by the end of 25 December; 31 January → 28 February."""
    tz = "Asia/Shanghai"
    assert followup.last_day(yuetan.report_due(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), tz), tz) == date(2026, 12, 25)
    assert followup.last_day(yuetan.report_due(datetime(2027, 1, 31, 8, 0, tzinfo=UTC), tz), tz) == date(2027, 2, 28)


def test_the_top_grade_note_shows_from_the_second_yuetan_of_the_year():
    """One 约谈 is only counted; the second brings the seed's note (information: nothing is applied)."""
    assert not rules.top_grade_barred(1) and rules.top_grade_barred(2)
