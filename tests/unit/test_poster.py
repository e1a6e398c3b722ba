"""The 民心墙's poster: an A4 PNG whose QR code is the wall's link module for module, and an A4 PDF; the words come
from templates/wall/poster.j2."""

from __future__ import annotations

import re
from io import BytesIO

from bot.documents.poster import A4_INCHES, PNG_DPI, QUIET, Poster, poster_files
from bot.services.wall_poster import poster_of

LINK = "https://t.me/zhibu_bot?start=wall_Abc123_xyz"


def test_the_png_carries_the_links_qr_code_module_for_module_and_the_pdf_is_a4():
    """Each module of the drawn code (sampled at its centre) is dark exactly where the link's symbol is dark; the
    PDF's page is A4 (595 × 842 points)."""
    png, pdf = poster_files(poster_of("幸福社区党支部", LINK, 180))
    from matplotlib import image  # imported here, not while every test worker collects

    pixels = image.imread(BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    assert abs(width - A4_INCHES[0] * PNG_DPI) <= 1 and abs(height - A4_INCHES[1] * PNG_DPI) <= 1
    import segno

    symbol = segno.make(LINK, error="m", micro=False).matrix
    size = len(symbol) + 2 * QUIET
    side = 0.5 * width  # the code's box: half the page's width, centred, its top at 0.43 + its height from the bottom
    top = height * (1 - 0.43) - side
    drawn = [[bool(pixels[int(top + (row + QUIET + 0.5) * side / size)][int(width / 2 - side / 2 + (col + QUIET + 0.5)
                                                                             * side / size)][:3].mean() < 0.5)
              for col in range(len(symbol))] for row in range(len(symbol))]
    assert drawn == [[bool(cell) for cell in row] for row in symbol]
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None and (round(float(box.group(1))), round(float(box.group(2)))) == (595, 842)


def test_the_posters_words_are_the_templates_with_the_branch_and_the_keeping_time():
    """Headline, the steps and the footer come from the template: the branch's name and the days details are kept."""
    poster = poster_of("幸福社区党支部", LINK, 90)
    assert isinstance(poster, Poster) and poster.title == "幸福社区党支部" and poster.link == LINK
    assert "民心墙" in poster.headline
    assert len(poster.lines) == 4 and "幸福社区党支部" in poster.lines[0]
    assert "90 天后删除" in poster.footer
