from hypothesis import given, settings
from hypothesis import strategies as st

from bot.textsplit import split_message, weight


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


def _plain(html: str) -> str:
    from bot.emulator.telegram_html import to_plain

    return to_plain(html)


def _visible(text: str) -> str:
    return "".join(text.split())


def test_a_tag_open_across_a_cut_is_closed_and_opened_again():
    """A bold run longer than a message: every part is valid HTML on its own, within the limit after parsing."""
    text = "<b>" + "字" * 9000 + "</b> 结尾 &amp; <i>斜</i>"
    parts = split_message(text)
    assert all(p.startswith("<b>") for p in parts[:-1]) and all(len(_plain(p)) <= 4096 for p in parts)
    assert _visible("".join(_plain(p) for p in parts)) == _visible(_plain(text))


def test_entities_are_never_cut_and_emoji_count_twice():
    """A cut never falls inside &amp;; an emoji weighs two UTF-16 units, as Telegram counts it."""
    for text in ("&amp;" * 3000, "🏟" * 5000, "字&lt;" * 3000):
        parts = split_message(text)
        plains = [_plain(p) for p in parts]
        assert all(weight(p) <= 4096 for p in plains)
        assert "".join(plains) == _plain(text)


def test_a_huge_cell_is_split_in_one_pass():
    """Twenty million characters on one line (a hostile spreadsheet cell) come out as full parts, none lost."""
    text = "名" * 20_000_000
    parts = split_message(text)
    assert len(parts) == -(-20_000_000 // 4096) and sum(len(p) for p in parts) == 20_000_000


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["字", "a", " ", "\n", "🏟", "&amp;", "&lt;", "<b>", "</b>", "<i>", "</i>",
                                 '<a href="https://t.me/x">', "</a>", "\n\n"]), max_size=400),
       st.integers(min_value=30, max_value=200))
def test_any_valid_text_splits_into_valid_parts(tokens, limit):
    """Whatever valid HTML (tags closed in order), every part parses, fits the limit, and the text survives."""
    stack, html = [], []
    for token in tokens:
        if token in ("</b>", "</i>", "</a>"):
            if stack and stack[-1] == token:
                html.append(stack.pop())
            continue
        if token.startswith("<"):
            stack.append("</" + token[1:2] + ">")
        html.append(token)
    text = "".join(html + stack[::-1])
    if not _visible(_plain(text)):
        return
    parts = split_message(text, limit=limit)
    assert all(weight(_plain(p)) <= limit for p in parts)
    assert _visible("".join(_plain(p) for p in parts)) == _visible(_plain(text))
