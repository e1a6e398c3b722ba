"""The roll-up's tasks being drafted are kept in their file: what keep() returned from is read back by a new
process, what take() returned is gone from it, a failed write changes nothing, an unreadable file stops the start."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bot.rollup.drafts import Drafts, DraftsError

TASK = ("报送年度工作总结", "请各支部报送本年度党建工作总结。", "12月20日")


async def test_a_kept_draft_is_read_back_and_a_taken_one_is_gone(tmp_path: Path) -> None:
    """keep() → a fresh load has it under its number (only the officer's own); take() → a fresh load has none, and
    take() again is None; numbers go on after a restart; the file is readable by its owner only."""
    path = tmp_path / "rollup" / "drafts.json"
    drafts = Drafts.load(path)
    mine = await drafts.keep(9901, TASK)
    other = await drafts.keep(9902, ("另一项", "内容", "12月31日"))
    again = Drafts.load(path)
    assert again.get(9901, mine) == TASK and again.get(9902, mine) is None and again.get(9903, mine) is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert await again.take(9901, other) is None and await again.take(9901, mine) == TASK
    assert Drafts.load(path).get(9901, mine) is None
    assert Drafts.load(path).get(9902, other) == ("另一项", "内容", "12月31日")
    assert await again.take(9901, mine) is None
    assert await Drafts.load(path).keep(9901, TASK) not in (mine, other)


async def test_a_write_that_fails_changes_nothing(tmp_path: Path) -> None:
    """Where the folder cannot be made (a file is in its way), keep() raises and the draft is not held in memory
    either: nobody is told it is kept."""
    (tmp_path / "blocked").write_text("")
    drafts = Drafts.load(tmp_path / "blocked" / "drafts.json")
    with pytest.raises(OSError):
        await drafts.keep(9901, TASK)
    assert drafts.get(9901, 1) is None


def test_an_unreadable_file_stops_the_start(tmp_path: Path) -> None:
    """A drafts file that is not drafts (cut off, edited by hand) is an error naming the file, not an empty start."""
    path = tmp_path / "drafts.json"
    path.write_text('{"9901": {"title": "x"', encoding="utf-8")
    with pytest.raises(DraftsError, match="drafts.json"):
        Drafts.load(path)
    path.write_text('{"last": 1, "drafts": {"9901": {"number": 1, "title": "x"}}}', encoding="utf-8")
    with pytest.raises(DraftsError):
        Drafts.load(path)
