"""Charts as PNG bytes (no Telegram here): a branch's attendance over 12 months and a branches × months compliance
heat map. matplotlib with the Agg backend (no display); Chinese text needs a CJK font, found once through
matplotlib's font manager — without one the charts still render (with boxes for Chinese) and a warning is logged
once. Rendering is CPU work: callers run these in a thread (`asyncio.to_thread`)."""

from __future__ import annotations

import io
import logging
import threading
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, no GUI toolkit

from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

log = logging.getLogger(__name__)

# Families of the Debian packages fonts-wqy-microhei, fonts-wqy-zenhei and fonts-noto-cjk, in order of preference.
CJK_FAMILIES = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans CJK JP",
                "Noto Serif CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei")
# matplotlib's default: always present, no CJK glyphs.
FALLBACK_FAMILY = "DejaVu Sans"
DPI = 100
ATTENDANCE_SIZE = (8.0, 4.5)  # inches: 800 × 450 px
_lock = threading.Lock()  # matplotlib's font cache and text layout are not thread-safe


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed CJK font family, or None (logged once: the charts then fall back)."""
    for family in CJK_FAMILIES:
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        if path:
            return family
    log.warning("no CJK font found (install fonts-wqy-microhei or fonts-noto-cjk): chart labels in Chinese will "
                "show as boxes")
    return None


def font_family() -> list[str]:
    family = cjk_family()
    return [family, FALLBACK_FAMILY] if family else [FALLBACK_FAMILY]


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def attendance_figure(title: str, months: list[str], rates: list[float | None]) -> Figure:
    """A bar per month (percent present; an empty slot for a month without meetings)."""
    figure = Figure(figsize=ATTENDANCE_SIZE, dpi=DPI)
    ax = figure.subplots()
    values = [round(r * 100) if r is not None else 0 for r in rates]
    bars = ax.bar(range(len(months)), values, color=["#c0392b" if (r or 0) < 0.8 else "#2e86c1" for r in rates])
    for bar, rate in zip(bars, rates, strict=True):
        text = "无会" if rate is None else f"{round(rate * 100)}%"
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom",
                    fontsize=8, family=font_family())
    ax.set_xticks(range(len(months)), months, family=font_family(), fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_ylabel("出勤率（%）", family=font_family())
    ax.set_title(title, family=font_family())
    ax.axhline(80, color="#999999", linewidth=0.8, linestyle="--")
    figure.tight_layout()
    return figure


def attendance_chart(title: str, months: list[str], rates: list[float | None]) -> bytes:
    with _lock:
        return _png(attendance_figure(title, months, rates))


_GRID_COLOURS = LinearSegmentedColormap.from_list("compliance", ["#c0392b", "#f4d03f", "#27ae60"])


def heatmap_size(rows: int) -> tuple[float, float]:
    """Inches: 10 wide, 0.3 a branch plus room for the title and the month labels."""
    return 10.0, 1.6 + 0.3 * max(rows, 1)


NOT_APPLICABLE = "—"  # drawn in a grey cell: nothing to judge (the legend, from the caller, says what that means)


def heatmap_figure(title: str, branches: list[str], months: list[str], grid: list[list[float | None]],
                   legend: str = "") -> Figure:
    """Branches down, months across; green all met, red nothing met, grey "—" nothing to judge (before the branch
    started, its first partial month, or still running); `legend` is written under the months."""
    figure = Figure(figsize=heatmap_size(len(branches)), dpi=DPI)
    ax = figure.subplots()
    cmap = _GRID_COLOURS.with_extremes(bad="#dddddd")
    values = [[float("nan") if v is None else v for v in row] for row in grid] or [[float("nan")] * len(months)]
    ax.imshow(values, cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(len(months)), months, family=font_family(), fontsize=8)
    ax.set_yticks(range(len(branches)), branches, family=font_family(), fontsize=8)
    ax.tick_params(length=0)
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            text = NOT_APPLICABLE if value is None else f"{round(value * 100)}"
            ax.text(x, y, text, ha="center", va="center", fontsize=7,
                    color="#7f8c8d" if value is None else "#1b2631")
    ax.set_title(title, family=font_family())
    if legend:
        ax.set_xlabel(legend, family=font_family(), fontsize=8, color="#555555")
    figure.tight_layout()
    return figure


def compliance_heatmap(title: str, branches: list[str], months: list[str], grid: list[list[float | None]],
                       legend: str = "") -> bytes:
    with _lock:
        return _png(heatmap_figure(title, branches, months, grid, legend))
