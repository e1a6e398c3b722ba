from bot.textsplit import split_message


def test_short_text_is_one_message():
    """Under the limit nothing is split."""
    assert split_message("你好") == ["你好"]


def test_long_roster_splits_at_line_breaks_within_limit():
    """A 300-line roster is cut at line breaks into parts of at most 4,096 characters, losing nothing."""
    lines = [f"{i}. 党员{i:04d} · 党员 <b>正常</b>" for i in range(300)]
    text = "\n".join(lines)
    parts = split_message(text, limit=1000)
    assert len(parts) > 1
    assert all(len(p) <= 1000 for p in parts)
    assert "\n".join(parts) == text


def test_single_overlong_line_is_cut_hard():
    """One line longer than the limit still yields parts within the limit."""
    parts = split_message("字" * 9000)
    assert [len(p) for p in parts] == [4096, 4096, 808]
