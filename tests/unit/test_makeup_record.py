"""Reading the secretary's make-up line "12月8日 自学党章总纲" (pure)."""

from datetime import date

import pytest

from bot.domain.makeup import BadRecord, meaningful_length, read_record

TODAY = date(2026, 12, 11)


def test_month_day_and_content():
    """Month and day, any of the usual separators; the year is this one (or, within the last half year, the last
    one) unless that would be in the future."""
    assert read_record("12月8日 自学党章总纲", TODAY) == (date(2026, 12, 8), "自学党章总纲")
    assert read_record("12-8，书记当面讲解", TODAY) == (date(2026, 12, 8), "书记当面讲解")
    assert read_record("1月5号：学习笔记", TODAY) == (date(2026, 1, 5), "学习笔记")
    assert read_record("2025年12月20日 自学", TODAY) == (date(2025, 12, 20), "自学")


@pytest.mark.parametrize(("text", "why"), [("自学党章", "no_date"), ("13月40日 自学", "bad_date"),
                                           ("2027年1月1日 自学", "future"), ("12月20日 自学", "future"), ("12月8日 👍", "no_content"),
                                           ("12月8日", "no_content")])
def test_refusals_say_why(text, why):
    """A line without a date, with an impossible or future one, or with no words after it, is refused with the reason."""
    with pytest.raises(BadRecord, match=why):
        read_record(text, TODAY)


def test_emoji_and_punctuation_are_not_meaningful():
    """What counts towards a reason's length: letters and digits, Chinese characters included."""
    assert meaningful_length("👍") == 0 and meaningful_length("。。！") == 0 and meaningful_length("出差") == 2
