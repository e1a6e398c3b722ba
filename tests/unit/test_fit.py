"""Fitting a card into one message: long texts people wrote are cut (each kept as long as room allows), the words
around them never; a card that fits is left alone."""

from __future__ import annotations

from bot import fit


def _card(body: str, content: dict) -> dict:
    return {"body": body, "label": "个人自评", "author": "李红梅", "content": content, "version": 1, "photos": 0,
            "submission_id": 7, "status": "approved", "approved_word": "已通过", "rejected_word": "已驳回",
            "reviewer": "王书记", "comment": None, "decided_at": "2026-12-03 10:00", "superseded_by": None}


def test_five_long_sections_are_each_cut_to_fit():
    """A 个人自评 of 5 × 1,000 characters: the decided card fits 4,096, every section keeps the same length of its
    start, and the card says it was shortened."""
    sections = {key: key[0] * 1000 for key in ("politics", "study", "conduct", "vanguard", "shortcomings")}
    params, cut = fit.fit("review/card_decided.j2", _card("evaluation/selfeval_card.j2",
                                                          {"sections": sections, "grade": "excellent"}))
    assert cut and params["shortened"] and fit.length("review/card_decided.j2", params) <= fit.LIMIT
    kept = {len(text.removesuffix(fit.CUT)) for text in params["content"]["sections"].values()}
    assert len(kept) == 1 and 600 < kept.pop() < 1000  # as much as fits, the same for each
    assert params["reviewer"] == "王书记" and params["content"]["grade"] == "excellent"


def test_a_card_that_fits_is_left_alone():
    """A short report is shown whole, not marked shortened."""
    params, cut = fit.fit("review/card.j2", _card("reports/card.j2", {"text": "认真学习了党章。"}))
    assert not cut and params["content"]["text"] == "认真学习了党章。"
