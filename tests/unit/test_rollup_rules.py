"""The roll-up's pure rules and settings: counties worst first by shares, a county's heat-map row, the /task text
and the list of counties."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserError
from bot.rollup.config import RollupSettings
from bot.rollup.rules import CountyFigures, county_row, worst_first
from bot.rollup.service import task_parts
from bot.settings import Settings, SettingsError


def _county(index: int, branches: int, alerts: int, missed: int = 0, overdue: int = 0) -> CountyFigures:
    return CountyFigures(index, f"c{index}", f"县{index}", branches, alerts, 0, missed, overdue)


def test_counties_worst_first_by_share_not_size():
    """A big county with many alerts but a small share comes after a small one with a large share; a tie on the
    alert share is broken by missed cadences, then overdue minutes per branch, then the configured order."""
    big, small = _county(0, 900, 80), _county(1, 20, 10)
    tied_missed, tied_plain = _county(2, 10, 1, missed=3), _county(3, 10, 1)
    tied_overdue = _county(4, 10, 1, overdue=5)
    order = worst_first([big, small, tied_plain, tied_overdue, tied_missed])
    assert [c.index for c in order] == [1, 2, 4, 3, 0]


def test_county_level():
    """A tenth of branches in alert (or with a missed cadence) is alert; any lesser want is minor; none is ok."""
    assert _county(0, 10, 1).level == "alert"
    assert _county(0, 20, 1).level == "minor"
    assert _county(0, 20, 0, missed=2).level == "alert"
    assert _county(0, 20, 0).level == "ok"
    assert _county(0, 0, 0).level == "ok"


def test_a_county_row_averages_only_branches_with_something_to_judge():
    """Each month is the mean of the branches' shares that are not None; a month no branch was judged is None."""
    rows = [[1.0, None, 0.5], [0.0, None, None], [0.5, None, 1.0]]
    assert county_row(rows, 3) == [0.5, None, 0.75]
    assert county_row([], 2) == [None, None]


def test_task_text_needs_title_body_and_day():
    """Title on the first line, the text in between (kept as lines), the last day on the last; fewer than three
    lines is refused politely."""
    assert task_parts("总结\n第一段\n\n第二段\n12月20日") == ("总结", "第一段\n第二段", "12月20日")
    for text in ("", None, "总结\n12月20日"):
        with pytest.raises(UserError):
            task_parts(text)


def test_counties_named_directly_or_by_their_env_file(tmp_path: Path, monkeypatch):
    """NAME=DATABASE names the database (an SQLite path or a PostgreSQL URL); NAME alone reads counties/NAME.env;
    a bad name, a county named twice or an empty list is a configuration error."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "counties").mkdir()
    (tmp_path / "counties" / "bing.env").write_text("ZHIBU_DB=/srv/bing.db\n")
    base = Settings(_env_file=None)
    config = RollupSettings(_env_file=None, counties="jia=/srv/jia.db, yi=postgresql://db/zhibu?options=-csearch_path=yi,bing",
                            officers="1, 2")
    found = config.county_settings(base)
    assert [(n, s.db) for n, s in found] == [("jia", Path("/srv/jia.db")),
                                             ("yi", "postgresql://db/zhibu?options=-csearch_path=yi"),
                                             ("bing", Path("/srv/bing.db"))]
    assert config.officers == frozenset({1, 2})
    for counties in ("", "Jia=/x.db", "jia=/a.db,jia=/b.db"):
        with pytest.raises(SettingsError):
            RollupSettings(_env_file=None, counties=counties).county_settings(base)
