"""Rules of 党费 and standing leave: amounts typed in yuan, the month codes in buttons, day ranges as people write
them, and which days a standing leave covers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.away import StandingLeave, check_range
from bot.domain.dues import parse_yuan, period_code, period_from_code, yuan
from bot.domain.when import Refusal, read_day, read_day_range

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(("text", "fen"), [("12.5", 1250), ("12.50元", 1250), ("￥0.2", 20), (" 100 ", 10000)])
def test_amounts_in_yuan_become_fen(text, fen):
    """Amounts as secretaries type them; shown back with two decimals."""
    assert parse_yuan(text) == fen
    assert yuan(fen) == f"{fen / 100:.2f}"


@pytest.mark.parametrize("text", ["", "abc", "-3", "0", "1.234", "20000000"])
def test_bad_amounts_are_refused(text):
    """Nothing that is not a positive amount with at most two decimals, within the limit."""
    with pytest.raises(ValueError):
        parse_yuan(text)


def test_period_codes_round_trip_and_reject_nonsense():
    """'2026-12' ↔ 202612 in callback data; a forged month is refused."""
    assert period_from_code(period_code("2026-12")) == "2026-12"
    with pytest.raises(ValueError):
        period_from_code(202613)


def test_day_ranges_as_people_write_them():
    """A range that crosses the new year ends in the next year; ISO dates, Chinese numerals and spaced dashes read;
    an end before the start, a single day or nonsense is refused."""
    assert read_day_range("12月1日到3月31日", TODAY) == (date(2026, 12, 1), date(2027, 3, 31))
    assert read_day_range("2026-12-01至2027-03-31", TODAY) == (date(2026, 12, 1), date(2027, 3, 31))
    assert read_day_range("十二月一日至十二月二十日", TODAY) == (date(2026, 12, 1), date(2026, 12, 20))
    assert read_day_range("12月1日 - 12月20日", TODAY) == (date(2026, 12, 1), date(2026, 12, 20))
    assert read_day_range("明天到下周五", TODAY) == (date(2026, 12, 1), date(2026, 12, 11))
    assert read_day_range("2026年12月1日到2026年11月1日", TODAY) == Refusal("end_before_start")
    assert isinstance(read_day_range("12月5日", TODAY), Refusal)
    assert isinstance(read_day_range("外出务工", TODAY), Refusal)
    assert read_day("10月9日", date(2026, 9, 22)) == date(2026, 10, 9)


def test_range_checks_and_what_a_standing_leave_covers():
    """Past ranges and ranges over a year are refused; 销假 ends the covered days early."""
    assert check_range(date(2026, 12, 1), date(2027, 3, 31), TODAY) is None
    assert check_range(date(2026, 1, 1), date(2026, 2, 1), TODAY) == "past"
    assert check_range(date(2026, 12, 1), date(2028, 1, 1), TODAY) == "too_long"
    leave = StandingLeave(id=1, submission_id=1, branch_id=1, member_id=2, reason="外出务工",
                          starts_on=date(2026, 12, 1), ends_on=date(2027, 3, 31), ended_on=None,
                          created_at=datetime(2026, 11, 30, tzinfo=UTC))
    assert leave.covers(date(2027, 1, 7)) and not leave.covers(date(2027, 4, 1))
    ended = leave.model_copy(update={"ended_on": date(2026, 12, 20)})
    assert ended.covers(date(2026, 12, 3)) and not ended.covers(date(2027, 1, 7))


def test_menus_show_away_to_members_and_dues_to_the_committee():
    """/away is every member's; /dues shows for committee members (the 组织委员 collects), not for plain members."""
    from bot.commands import commands_for
    from bot.domain.models import Member, MemberStatus
    from bot.domain.roles import Role

    def person(*roles: Role) -> Member:
        now = datetime(2026, 11, 30, tzinfo=UTC)
        return Member(id=1, branch_id=1, telegram_id=1, name="甲", status=MemberStatus.ACTIVE, roles=frozenset(roles),
                      created_at=now, updated_at=now)

    plain = {c.command for c in commands_for(person())}
    organizer = {c.command for c in commands_for(person(Role.ORGANIZER))}
    assert "away" in plain and "dues" not in plain
    assert {"away", "dues"} <= organizer


def test_expected_dues_count_the_months_due_by_now():
    """A past year expects 12 months at the standard, this year the months so far, a year ahead none; no standard
    set, nothing expected."""
    from datetime import UTC, datetime

    from bot.domain.dues import expected_fen

    now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert expected_fen(1250, 2025, now) == 15000
    assert expected_fen(1250, 2026, now) == 15000
    assert expected_fen(1250, 2026, datetime(2026, 3, 1, tzinfo=UTC)) == 3750
    assert expected_fen(1250, 2027, now) == 0
    assert expected_fen(None, 2026, now) is None


def test_a_reported_amount_differs_only_when_both_are_known():
    """The /dues flag is raised for a report whose amount is not the member's standard, never when either is unknown."""
    from bot.domain.dues import DuesPayment, DuesStatus, differs

    def paid(fen):
        return DuesPayment(member_id=1, period="2026-12", branch_id=1, status=DuesStatus.REPORTED, amount_fen=fen,
                           paid_by=None, reported_at=None, confirmed_by=None, confirmed_at=None)

    assert differs(1250, paid(1000)) and not differs(1250, paid(1250))
    assert not differs(None, paid(1000)) and not differs(1250, paid(None)) and not differs(1250, None)
