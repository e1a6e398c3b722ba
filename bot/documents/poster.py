"""The 民心墙's poster: an A4 page with the branch's name, the wall's deep link as a QR code and a few lines of how
it works, as PNG (to print from a phone or post in a chat) and PDF (to print at the office, the QR code as vectors).

The words come in from the caller (rendered from templates/wall/poster.j2); this builder only lays them out.
matplotlib (Agg) draws both files from one figure; segno gives the QR code's modules, drawn as filled squares so the
PDF stays sharp at any size. Both are imported when a poster is made: a running bot rarely makes one. CPU work:
callers run it in a thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

A4_INCHES = (8.27, 11.69)
PNG_DPI = 150  # 1240 × 1754 px: sharp on paper from a phone, ≈ 100 KB
QUIET = 4  # modules of white around the code (ISO/IEC 18004)


@dataclass(frozen=True)
class Poster:
    title: str  # the branch's name
    headline: str  # 民心墙
    lines: Sequence[str]  # how it works, a line each
    link: str  # the wall's deep link, in the QR code and printed under it
    footer: str = ""


def _modules(link: str) -> list[list[bool]]:
    import segno

    return [[bool(cell) for cell in row] for row in segno.make(link, error="m", micro=False).matrix]


def _runs(row: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    found, start = [], None
    for x, dark in enumerate([*row, False]):
        if dark and start is None:
            start = x
        elif not dark and start is not None:
            found.append((start, x - start))
            start = None
    return found


def _figure(poster: Poster):
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from bot.charts import font_family

    family = font_family()
    figure = Figure(figsize=A4_INCHES)
    figure.text(0.5, 0.93, poster.title, ha="center", va="center", fontsize=26, family=family)
    figure.text(0.5, 0.86, poster.headline, ha="center", va="center", fontsize=40, family=family, color="#b0121b")
    modules = _modules(poster.link)
    size = len(modules) + 2 * QUIET
    side = 0.5  # of the page's width
    axes = figure.add_axes((0.5 - side / 2, 0.43, side, side * A4_INCHES[0] / A4_INCHES[1]))
    axes.set_xlim(0, size)
    axes.set_ylim(size, 0)
    axes.set_aspect("equal")
    axes.axis("off")
    # One collection of squares, a run of dark modules in a row as one rectangle: a few hundred shapes, drawn at once.
    squares = [Rectangle((x + QUIET, y + QUIET), length, 1) for y, row in enumerate(modules) for x, length in _runs(row)]
    axes.add_collection(PatchCollection(squares, facecolor="black", edgecolor="none", linewidth=0))
    figure.text(0.5, 0.40, poster.link, ha="center", va="center", fontsize=9, family=family, color="#555555")
    for index, line in enumerate(poster.lines):
        figure.text(0.12, 0.34 - index * 0.045, line, ha="left", va="center", fontsize=15, family=family, wrap=True)
    if poster.footer:
        figure.text(0.5, 0.05, poster.footer, ha="center", va="center", fontsize=10, family=family, color="#555555")
    return figure


def poster_files(poster: Poster) -> tuple[bytes, bytes]:
    """(PNG, PDF) of the poster."""
    import matplotlib

    matplotlib.use("Agg")
    from bot.charts import _lock

    with _lock:  # matplotlib's text layout is not thread-safe
        figure = _figure(poster)
        png, pdf = BytesIO(), BytesIO()
        figure.savefig(png, format="png", dpi=PNG_DPI)
        figure.savefig(pdf, format="pdf")
    return png.getvalue(), pdf.getvalue()
