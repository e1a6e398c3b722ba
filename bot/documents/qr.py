"""QR codes as PNG bytes: the check-in code shown at the venue and the 民心墙's poster encode a deep link.

Error correction level M (15 % of the symbol may be damaged) survives a poster behind glass or a phone screen's
glare; a quiet zone of four modules is what ISO/IEC 18004 asks for and what cheap phone scanners need.
segno is imported here, when a picture is made: a running bot rarely draws one.
"""

from __future__ import annotations

from io import BytesIO


def qr_png(text: str, *, scale: int = 8) -> bytes:
    """The QR code of `text` as a PNG, `scale` pixels per module (8 fills a phone screen at arm's length)."""
    import segno

    out = BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
