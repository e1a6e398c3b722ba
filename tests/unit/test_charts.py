"""Charts: Chinese titles are drawn with a CJK font (not boxes), and the PNG has the size the layout promises."""

from __future__ import annotations

import io

import pytest

# matplotlib (through bot.charts) is imported by the tests that draw, not while every test worker collects.
MONTHS = [f"{m}月" for m in range(1, 13)]


def _resolved_font_name(text) -> str:
    """The family of the font file matplotlib resolves for a Text object (what the renderer will draw with)."""
    from matplotlib import font_manager

    path = font_manager.findfont(text.get_fontproperties())
    return font_manager.FontProperties(fname=path).get_name()


@pytest.fixture
def cjk() -> str:
    from bot import charts

    family = charts.cjk_family()
    if family is None:
        pytest.skip("no CJK font installed here (scripts/setup.sh installs fonts-wqy-microhei as root)")
    return family


def test_attendance_title_resolves_to_a_cjk_font(cjk):
    """The bar chart's title and month labels resolve to the installed CJK family."""
    from bot import charts

    figure = charts.attendance_figure("第一党支部 近12个月出勤率", MONTHS, [0.9] * 11 + [None])
    ax = figure.axes[0]
    assert _resolved_font_name(ax.title) == cjk in charts.CJK_FAMILIES
    assert {_resolved_font_name(label) for label in ax.get_xticklabels()} == {cjk}


def test_heatmap_title_resolves_to_a_cjk_font_and_png_has_its_size(cjk):
    """The heat map's title and branch names use the CJK font; 3 branches give a 1000 × 250 px PNG."""
    from matplotlib import image

    from bot import charts

    figure = charts.heatmap_figure("城关镇党委 三会一课完成情况", ["一支部", "二支部", "三支部"], MONTHS,
                                   [[1.0] * 12, [0.5] * 12, [None] * 12])
    ax = figure.axes[0]
    assert _resolved_font_name(ax.title) == cjk
    assert {_resolved_font_name(label) for label in ax.get_yticklabels()} == {cjk}
    png = charts.compliance_heatmap("城关镇党委", ["一支部", "二支部", "三支部"], MONTHS,
                                    [[1.0] * 12, [0.5] * 12, [None] * 12])
    assert image.imread(io.BytesIO(png), format="png").shape[:2] == (250, 1000)


def test_heatmap_marks_grey_cells_with_a_dash_and_writes_the_legend_under_the_months():
    """A cell with nothing to judge shows "—" (no number); judged cells their percentage; the legend given (from
    templates/overview/heatmap_legend.j2) is the x label and says what grey "—" means."""
    from bot import charts
    from bot.render import render

    legend = render("overview/heatmap_legend.j2")
    figure = charts.heatmap_figure("城关镇党委", ["老支部", "新建支部"], MONTHS[:3], [[1.0, 0.5, 0.0], [None, None, 1.0]],
                                   legend)
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.texts] == ["100", "50", "0", charts.NOT_APPLICABLE, charts.NOT_APPLICABLE, "100"]
    assert ax.get_xlabel() == legend and "灰色“—”为不适用" in legend and "尚未启用" in legend
