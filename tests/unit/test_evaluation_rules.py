"""Pure rules of the democratic evaluation: years, deadlines, grade checks, reminders, ballots."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain import evaluation as rules
from bot.domain.evaluation import Grade
from bot.render import render

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def test_campaign_year_looks_back_in_the_first_quarter():
    """An evaluation held in January–March is for the year before; later in the year it is for this year."""
    assert rules.campaign_year(NOW, TZ) == 2026
    assert rules.campaign_year(datetime(2027, 1, 10, 2, 0, tzinfo=UTC), TZ) == 2026
    assert rules.campaign_year(datetime(2027, 4, 1, 2, 0, tzinfo=UTC), TZ) == 2027
    # 31 Mar 17:00 UTC is already 1 Apr in Shanghai.
    assert rules.campaign_year(datetime(2027, 3, 31, 17, 0, tzinfo=UTC), TZ) == 2027


def test_deadline_is_the_end_of_the_local_day():
    """7 days from Monday 23 Nov is Monday 30 Nov, 23:59 Shanghai time (15:59 UTC)."""
    deadline = rules.deadline_after(NOW, TZ, 7)
    assert deadline == datetime(2026, 11, 30, 15, 59, tzinfo=UTC)
    assert rules.when(deadline, TZ) == "11月30日 23:59"


def test_extension_counts_from_today_when_the_deadline_has_passed():
    """Extending a live deadline adds days to it; extending a passed one adds days to today."""
    deadline = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)
    assert rules.extended_deadline(deadline, NOW, TZ, 3) == datetime(2026, 12, 3, 15, 59, tzinfo=UTC)
    later = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
    assert rules.extended_deadline(deadline, later, TZ, 3) == datetime(2026, 12, 8, 15, 59, tzinfo=UTC)


def test_accepting_and_submitting_around_the_deadline():
    """Grading stops at the deadline; a returned self-evaluation may still be fixed until the campaign closes."""
    deadline = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)
    after = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert rules.accepting("open", deadline, deadline)
    assert not rules.accepting("open", deadline, after)
    assert not rules.accepting("closed", deadline, NOW)
    assert not rules.may_submit_selfeval("open", deadline, after, returned=False)
    assert rules.may_submit_selfeval("open", deadline, after, returned=True)
    assert not rules.may_submit_selfeval("closed", deadline, after, returned=True)


def test_excellent_share_over_the_branch_limit():
    """With 20%, ten members allow two 优秀; a third is a warning; five members allow one."""
    two = [Grade.EXCELLENT, Grade.EXCELLENT] + [Grade.QUALIFIED] * 8
    assert rules.excellent_over_limit(two, 10, 20) is None
    warning = rules.excellent_over_limit(two + [Grade.EXCELLENT], 11, 20)
    assert warning is not None and (warning.count, warning.limit) == (3, 2)
    assert rules.excellent_limit(5, 20) == 1
    assert rules.excellent_limit(4, 20) == 0
    assert rules.excellent_over_limit([None, Grade.EXCELLENT], 2, 50) is None


def test_unqualified_needs_a_reason_and_every_member_a_grade():
    """不合格 without a remark is flagged (blank counts as missing); members without a final grade are listed."""
    results = {1: (Grade.UNQUALIFIED, "  "), 2: (Grade.UNQUALIFIED, "多次无故缺席"), 3: (Grade.QUALIFIED, None),
               4: (None, None)}
    assert rules.unqualified_without_reason(results) == [1]
    assert rules.without_final_grade([1, 2, 3, 4, 5], results) == [4, 5]


def test_reminders_at_nine_three_and_one_day_before_and_only_ahead():
    """Reminders fall at 09:00 local 3 and 1 days before the deadline's day; those already past are dropped."""
    deadline = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)
    assert rules.reminder_times(deadline, TZ, NOW) == [
        (3, datetime(2026, 11, 27, 1, 0, tzinfo=UTC)), (1, datetime(2026, 11, 29, 1, 0, tzinfo=UTC))]
    assert rules.reminder_times(deadline, TZ, datetime(2026, 11, 28, 0, 0, tzinfo=UTC)) == [
        (1, datetime(2026, 11, 29, 1, 0, tzinfo=UTC))]
    short = rules.deadline_after(NOW, TZ, 1)
    assert rules.reminder_times(short, TZ, NOW) == []


def test_form_resumes_at_the_first_unwritten_section():
    """The form asks the sections in order and resumes at the first empty one."""
    assert rules.first_missing_section({}).key == "politics"
    assert rules.first_missing_section({"politics": "x", "study": " "}).key == "study"
    assert rules.first_missing_section({k: "x" for k in rules.SECTION_KEYS}) is None


def test_ballots_are_stable_per_campaign_and_say_nothing_without_the_salt():
    """The same member gets the same ballot in a campaign, a different one in another, and it is not their id."""
    assert rules.ballot_of("salt-1", 7) == rules.ballot_of("salt-1", 7)
    assert rules.ballot_of("salt-1", 7) != rules.ballot_of("salt-2", 7)
    assert rules.ballot_of("salt-1", 7) != rules.ballot_of("salt-1", 8)
    assert "7" != rules.ballot_of("salt-1", 7) and len(rules.ballot_of("salt-1", 7)) == 32


def test_review_card_shows_every_section_in_order():
    """The reviewer's card names each section of the form, in the form's order, with escaped member text."""
    content = {"sections": {s.key: f"<{s.key}>" for s in rules.SECTIONS}, "grade": "basic"}
    text = render("evaluation/selfeval_card.j2", content=content)
    positions = [text.index(s.title) for s in rules.SECTIONS]
    assert positions == sorted(positions)
    assert "&lt;politics&gt;" in text and "基本合格" in text
