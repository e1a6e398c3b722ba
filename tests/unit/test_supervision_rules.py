"""The pure rules of 述职评议, 约谈 and the six-month alarm: a typed 问题清单, a 约谈 report's due day, a lapse's level."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain import followup, lapse, yuetan
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


def test_a_member_absent_and_unpaid_is_warned_at_four_months_and_alarmed_at_six():
    """Joined 23 November, absent from the 25 November meeting, nothing paid: level 0 in February, 4 on 23 March
    (four whole months), 6 on 23 May, with the meeting and the months named."""
    record = lapse.Record(joined=date(2026, 11, 23), meetings=[(date(2026, 11, 25), "11月主题党日", "absent")])
    assert lapse.assess(record, date(2027, 2, 22)).level == 0
    warned = lapse.assess(record, date(2027, 3, 23))
    assert (warned.level, warned.life_months, warned.missed) == (4, 4, [("2026-11-25", "11月主题党日")])
    assert warned.unpaid == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert lapse.assess(record, date(2027, 5, 23)).level == 6


def test_attendance_payment_and_standing_leave_each_stop_the_count():
    """A meeting attended restarts the organisational-life count; months paid or on standing leave are not unpaid;
    a branch that held no meeting does not make its member lapse."""
    today = date(2027, 5, 23)
    came = lapse.Record(joined=date(2026, 11, 23), meetings=[(date(2026, 11, 25), "11月", "absent"),
                                                             (date(2027, 3, 5), "3月", "checked_in"),
                                                             (date(2027, 4, 5), "4月", "absent")],
                        paid={"2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04"})
    assert lapse.assess(came, today).level == 0
    away = lapse.Record(joined=date(2026, 11, 23), meetings=[(date(2026, 12, 5), "12月", "absent")],
                        away=[(date(2026, 12, 1), date(2027, 4, 30))])
    assessed = lapse.assess(away, today)
    assert (assessed.level, assessed.missed, assessed.unpaid) == (0, [], ["2026-11"])
    assert lapse.assess(lapse.Record(joined=date(2026, 1, 1), paid={"2027-04"}), today).level == 0
