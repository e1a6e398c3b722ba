"""Whether a typed real name looks like one (pure): the join form asks again, with a confirm, before a name like
"asdf" reaches the secretary's card."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u4e00-\u9fff]")
_DOTS = "·•"
# What people type when they do not want to give their name, or to try the bot out.
_NOT_NAMES = frozenset({
    "测试", "试试", "管理员", "不知道", "匿名", "无名", "党员", "书记", "同志", "用户", "本人", "我", "你好",
    "test", "testing", "admin", "user", "name", "asdf", "qwer", "qwerty", "abc", "aaa", "xxx", "hello", "hi",
})
_KEYBOARD_RUNS = ("asdf", "qwer", "zxcv", "jkl", "uiop", "hjkl")


def unusual(name: str) -> bool:
    """True for a name worth a second look: written in Latin letters, one Chinese character or more than four
    (a minority name with · may be longer), one character repeated ("哈哈"), a keyboard run or a placeholder word."""
    plain = name.replace(" ", "")
    lower = plain.lower()
    if lower in _NOT_NAMES or any(run in lower for run in _KEYBOARD_RUNS):
        return True
    if len(set(plain)) == 1:
        return True
    if not all(_HAN.match(ch) or ch in _DOTS for ch in plain):
        return True  # Latin letters: a member's name in the party's records is written in Chinese characters
    han = len(_HAN.findall(plain))
    if any(ch in _DOTS for ch in plain):
        return han < 3
    return not 2 <= han <= 4
