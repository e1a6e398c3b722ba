"""The codes a /start link carries. A link of a kind is told by its prefix (a check-in QR's `ci_`, a 民心墙's
`wall_`, a community's 报到 `serve_`), and the other codes — invitations, personal links from the roster — are random:
a random code must never begin like one of those kinds, or /start would take it for one (`ci_` comes up once in
about 260,000 codes, `_` being one of the 64 characters)."""

from __future__ import annotations

import secrets

# Every prefix /start reads as a kind of link (tests/unit/test_deep_links.py checks each module's own against these).
KIND_PREFIXES = ("ci_", "wall_", "serve_")


def random_code(nbytes: int) -> str:
    """A url-safe random code of `nbytes` bytes that no kind of link claims."""
    while True:
        code = secrets.token_urlsafe(nbytes)
        if not code.startswith(KIND_PREFIXES):
            return code
