"""Random /start codes never begin like a kind of link, so an invitation is never read as a check-in QR."""

from __future__ import annotations

from bot.domain import checkin_proof, deep_links
from bot.services import community_service, membership
from handlers import wall


def test_every_kind_of_link_is_known():
    """Each prefix /start reads as a kind of link is among the ones random codes avoid."""
    for prefix in (checkin_proof.LINK_PREFIX, wall.LINK_PREFIX, community_service.LINK_PREFIX):
        assert prefix in deep_links.KIND_PREFIXES, prefix


def test_a_code_that_would_look_like_a_link_is_drawn_again(monkeypatch):
    """Codes drawn as `ci_…`, `wall_…` and `serve_…` are thrown away; the first plain one is kept (an invitation's too)."""
    drawn = iter(["ci_Ab12Cd34Ef", "wall_x1y2z3", "serve_q1w2e3", "Zz9_plainOne"])
    monkeypatch.setattr(deep_links.secrets, "token_urlsafe", lambda nbytes: next(drawn))
    assert membership.new_code() == "Zz9_plainOne"
