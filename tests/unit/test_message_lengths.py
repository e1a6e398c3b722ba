"""Messages whose length grows with what people type or how many there are stay within Telegram's 4,096 characters."""

from __future__ import annotations

from types import SimpleNamespace

from bot.domain import life_meeting as rules
from bot.render import render


def test_the_fullest_card_fits_one_message():
    """40 people with the longest names and reasons, all on leave with criticism, the longest record and the
    longest 'conveyed' prefix: under 4,096 characters (the record and reasons are shortened on the card)."""
    name = "名" * rules.NAME_MAX
    people = [{"name": name, "votes": i % 2, "status": "on_leave", "reason": "因" * rules.REASON_MAX,
               "statement": False, "criticism": True, "conveyed": False, "reachable": True}
              for i in range(rules.TEAM_MAX)]
    card = {"unit": "单" * 50, "topic": "题" * 100, "place": "地" * 50, "when": "2026年12月20日（周日）09:00–12:00",
            "status": "closed", "people": people,
            "minutes": {"content": "记" * rules.CONTENT_MAX, "criticism": "批" * rules.CRITICISM_MAX}}
    done = {"conveyed": [name] * rules.TEAM_MAX, "unreachable": [], "not_absent": []}
    text = render("life/card.j2", c=card, done=done)
    assert len(text) <= 4096, len(text)


def test_a_task_issued_to_two_hundred_counties_fits_one_message():
    """发布 over 200 counties, half refusing with a long reason: totals, at most 20 refusals named, under 4,096."""


    issued = [SimpleNamespace(county=f"第{i}县" * 3, branches=90, refusal=("拒" * 200 if i % 2 else None))
              for i in range(200)]
    text = render("rollup/task_issued.j2", issued=issued, title="题" * 60)
    assert len(text) <= 4096, len(text)
    assert "已发到 100 个县（市、区）共 9000 个党支部，100 个县未发布" in text and "另有 80 个县未发布" in text
