"""The roster's 党费标准 column: found under the headers offices use, read from number cells and typed amounts,
empty cells left alone, anything else a bad row with a reason in Chinese."""

from __future__ import annotations

import pytest

from bot.domain import roster as rules


def _cells(dues: object) -> dict[str, object]:
    return {"name": "王建国", "branch": "第一党支部", "dues": dues}


@pytest.mark.parametrize("header", ["月缴纳党费", "每月应缴党费", "党费标准（元）", "缴纳标准", " 党费标准 "])
def test_the_dues_column_is_found_under_the_usual_headers(header):
    """Each header an office writes for the monthly standard (with a unit in brackets or spaces) is the dues column."""
    assert rules.find_columns(["姓名", "所在党支部", header], rules.MEMBER_HEADERS)["dues"] == 2


@pytest.mark.parametrize(("cell", "fen"), [(12.5, 1250), (12, 1200), ("12.50", 1250), ("12.5元", 1250),
                                           ("￥0.2", 20), (12.499999999999, 1250), (None, None), ("  ", None)])
def test_amounts_read_in_fen_and_an_empty_cell_is_none(cell, fen):
    """Number cells, typed yuan with 元/￥, and float noise from formulas become fen; an empty cell sets nothing."""
    row = rules.parse_member(3, _cells(cell))
    assert isinstance(row, rules.MemberRow)
    assert row.dues_fen == fen


@pytest.mark.parametrize("cell", ["十二元", "-5", "0", "12.345", "99999999", True])
def test_a_bad_amount_is_a_bad_row_with_a_reason(cell):
    """Words, negatives, zero, a third decimal or an absurd amount make the row bad, naming the value."""
    reason = rules.parse_member(3, _cells(cell))
    assert isinstance(reason, str)
    assert reason.startswith("党费标准「") and "如 12.50" in reason
