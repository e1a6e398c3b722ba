"""The QR builder: the picture is a PNG that decodes to the text it was given."""

from __future__ import annotations

import struct

from bot.documents.qr import qr_png


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_qr_png_is_a_square_png_that_grows_with_the_scale() -> None:
    """The code is a square PNG; twice the scale gives twice the side (so a poster can be drawn larger)."""
    small = _png_size(qr_png("https://t.me/zhibu_bot?start=wall_abc", scale=4))
    large = _png_size(qr_png("https://t.me/zhibu_bot?start=wall_abc", scale=8))
    assert small[0] == small[1]
    assert large[0] == 2 * small[0]


def test_qr_draws_the_symbol_of_the_text_given() -> None:
    """Each module of the picture (sampled at its centre) is dark exactly where the text's QR symbol is dark."""
    from io import BytesIO

    import segno
    from matplotlib import image

    text = "https://t.me/zhibu_bot?start=ci_123456"
    scale, border = 4, 4
    pixels = image.imread(BytesIO(qr_png(text, scale=scale)), format="png")
    symbol = segno.make(text, error="m", micro=False).matrix
    drawn = [
        [
            bool(pixels[(border + row) * scale + scale // 2][(border + col) * scale + scale // 2].flat[0] < 0.5)
            for col in range(len(symbol[0]))
        ]
        for row in range(len(symbol))
    ]
    assert drawn == [[bool(cell) for cell in line] for line in symbol]
    other = segno.make(text + "7", error="m", micro=False).matrix
    assert drawn != [[bool(cell) for cell in line] for line in other]
