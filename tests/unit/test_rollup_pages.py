"""The roll-up's list of counties in pages: a province's counties stay within Telegram's limits."""

from __future__ import annotations

from bot.callbacks import rollup as cb
from bot.render import render
from bot.rollup.rules import CountyFigures
from bot.textsplit import TELEGRAM_LIMIT, weight
from handlers.rollup import COUNTIES_PER_PAGE, _counties_page, _counties_rows


def _province(count: int) -> list[CountyFigures]:
    return [CountyFigures(i, f"c{i}", f"某某自治县第{i}县（市、区）", 900, 450, 120, 300, 999, 88) for i in range(count)]


def test_a_province_of_counties_is_shown_a_page_at_a_time_within_telegrams_limits() -> None:
    """200 counties: every page's text is within 4,096 characters and its keyboard within 100 buttons, the pages
    together list each county once, numbered on from the page before, and the totals count all of them."""
    found = _province(200)
    seen: list[int] = []
    pages = -(-200 // COUNTIES_PER_PAGE)
    for page in range(pages):
        shown = _counties_page(found, "某某省委组织部", page)
        text = render("rollup/counties.j2", **shown)
        rows = _counties_rows(shown)
        assert weight(text) <= TELEGRAM_LIMIT
        assert sum(len(row) for row in rows) <= 100
        assert "共 200 个县（市、区），180000 个党支部" in text
        assert f"<b>{page * COUNTIES_PER_PAGE + 1}. " in text
        seen += [c.index for c in shown["counties"]]
        datas = [b.data for row in rows for b in row]
        wanted = ([cb.counties(page - 1)] if page > 0 else []) + ([cb.counties(page + 1)] if page < pages - 1 else [])
        assert [d for d in datas if d.startswith(cb.counties(0)[:-1])] == wanted
    assert seen == list(range(200))


def test_a_page_past_the_end_shows_the_last_one() -> None:
    """A forged or stale page number shows the nearest real page, not an empty list."""
    shown = _counties_page(_province(20), "市委组织部", 99)
    assert shown["page"] == 1 and [c.index for c in shown["counties"]] == list(range(15, 20))
    assert _counties_page(_province(3), "市委组织部", -4)["page"] == 0
