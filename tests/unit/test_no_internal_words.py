"""No English word or internal value reaches a person: every template, rendered with each status a model can have,
shows Chinese only (commands such as /pending aside), and the code's status → text tables cover every value."""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import jinja2

from bot.domain.filing import STATUS_LABELS as FOLLOWUP_LABELS
from bot.domain.filing import FollowupStatus
from bot.domain.meetings import KIND_LABELS, MeetingKind, Presence
from bot.domain.review import STATUS_LABELS, SubmissionStatus
from bot.render import TEMPLATE_DIR, environment
from tests.support import each

TEMPLATES = sorted(p.relative_to(TEMPLATE_DIR).as_posix() for p in TEMPLATE_DIR.rglob("*.j2")
                   if p.name != "buttons.j2" and not p.name.startswith("_"))
FORBIDDEN = {"submitted", "approved", "returned", "rejected", "withdrawn", "draft", "pending", "None", "True",
             "False", "on_leave", "checked_in", "late", "absent", "ok", "ret", "rej", "Undefined"}
STATUSES = [s.value for s in SubmissionStatus] + [p.value for p in Presence] + [None]


@functools.cache
def _lenient() -> jinja2.Environment:
    """The bot's environment, but a value a test does not give renders as nothing (and stays falsy), so every
    template can be rendered without knowing its parameters; the values given are what is under test. One for the
    run: each template (and what it includes) is compiled once, not once per test."""
    env = environment().overlay(undefined=jinja2.ChainableUndefined)
    env.filters["local"] = lambda moment, *a, **k: "12月3日 08:30"
    env.filters["weekday"] = lambda moment: "周四"
    return env


def _params(status: str | None) -> dict:
    return {"status": status, "presence": status, "decision": status, "body": "meetings/leave_card.j2",
            "label": "请假申请", "author": "李红梅", "reviewer": "王书记", "name": "12月主题党日",
            "content": {"meeting": "12月主题党日", "when": "12月3日 09:00", "reason": "出差"},
            "approved_word": "已批准", "rejected_word": "未获批准", "now": datetime(2026, 12, 3, tzinfo=UTC),
            "version": 2, "photos": 1, "pages": 1, "page": 0, "c": {"when": "12月3日 09:00"}, "step": "when"}


def words(text: str) -> set[str]:
    """ASCII words of a rendered text, leaving out /commands, HTML tags and entities."""
    text = re.sub(r"<[^>]+>|&[a-z]+;|/[a-z_]+|https?://\S+", " ", text)
    return set(re.findall(r"[A-Za-z_]+", text))


def _figures() -> SimpleNamespace:
    """One branch's oversight figures, shaped as bot.domain.overview gives them to the overview templates."""
    branch = SimpleNamespace(name="第一党支部", unit_name="城关镇党委", secretaries="王书记", active=5)
    cadences = {MeetingKind.COMMITTEE: "met", MeetingKind.ASSEMBLY: "due", MeetingKind.LECTURE: "at_risk",
                MeetingKind.GROUP: "missed"}
    return SimpleNamespace(branch=branch, silent=True, theme_day="held", theme_rate=0.8, minutes_overdue=1,
                           evaluation=SimpleNamespace(year=2026, done=3), cadences=cadences)


LABELS = {kind.value: label for kind, label in KIND_LABELS.items()}
# Templates that take one structured value rather than loose parameters: the value they are given in the bot.
SHAPED = {
    "overview/card.j2": {"c": {"figures": _figures(), "kind_labels": LABELS}},
    "overview/page.j2": {"p": SimpleNamespace(units=[SimpleNamespace(name="城关镇党委")], total=2, silent=1,
                                              at_risk=1, overdue=1, filter="alert", shown=1, page=0, pages=1,
                                              items=[_figures()], kind_labels=LABELS)},
    "rollup/card.j2": {"c": {"figures": _figures(), "kind_labels": LABELS}, "county": "安平县"},
    "rollup/county.j2": {"county": "安平县", "p": SimpleNamespace(
        total=2, silent=1, at_risk=1, overdue=1, filter="alert", shown=1, page=0, pages=1, items=[_figures()],
        kind_labels=LABELS, tasks_late=1)},
    "audit/action.j2": {"action": "makeup.approved"},
    # Given the follow-up's status already in words (bot.domain.filing.STATUS_LABELS, checked below).
    "filing/followup_not_closing.j2": {"status": "待上级确认销号"},
    "filing/followup_not_open.j2": {"status": "已销号"},
    "audit/page.j2": {"page": SimpleNamespace(number=0, several_branches=True, lines=[SimpleNamespace(
        at=datetime(2026, 12, 3, tzinfo=UTC), branch="第一党支部", who="王书记", what="审核通过补课材料", about="李红梅",
        note=None)]), "tz": "Asia/Shanghai"},
    # The 述职评议's pages, given each problem's step and each branch's 述职 status as the services give them.
    "shuzhi/open_list.j2": {"o": {"unit": "城关镇党委", "total": 1, "page": 0, "pages": 2, "items": [
        {"branch": "第一党支部", "seq": 1, "reason": "三会一课不规范", "step": "plan_review", "carried": True,
         "overdue_days": 3}]}},
    "shuzhi/round.j2": {"r": {"unit": "城关镇党委", "year": 2026, "graded": True, "total": 1, "page": 0, "pages": 2,
                              "deadline": datetime(2026, 12, 3, tzinfo=UTC).date(), "lines": [
                                  {"branch": "第一党支部", "status": "submitted", "grade": "fair", "problems": 2,
                                   "open": 1}]}},
    "lapse/alarm.j2": {"level": 6, "life": 6, "dues": 6, "missed": [("2026-11-25", "11月主题党日")],
                       "unpaid_words": ["2026年11月"], "name": "李红梅", "branch": "第一党支部"},
    "filing/review_list.j2": {"listing": SimpleNamespace(waiting=2, overdue=1, items=[SimpleNamespace(
        branch="第一党支部", filing=SimpleNamespace(kind="minutes", title="支部委员会：研究发展党员工作"),
        arrived="11月23日 10:00", review_by="2026年11月26日", overdue=True)])},
    "filing/review_card.j2": {"r": {"kind": "minutes", "title": "支部委员会", "branch": "第一党支部", "unit": "城关镇党委",
                                    "arrived": "11月23日 10:00", "review_by": "2026年11月26日", "overdue": False,
                                    "status": "returned", "by": "刘志强", "at": "11月24日 09:00",
                                    "comment": "请补充", "may_decide": True}},
    "overview/reads.j2": {"r": SimpleNamespace(read=1, recipients=2, notice=SimpleNamespace(body="周五学习"), page=0,
                                               pages=1, items=[SimpleNamespace(name="第一党支部", read=1,
                                                                               recipients=2, rate=0.5)])},
    **{f"wall/{name}.j2": {"order": {"id": 3, "round": 2, "need": "楼道灯坏了", "phone": "13800000000",
                                     "latitude": 34.64, "longitude": 107.13}, "dispatcher": "王书记", "again": True}
       for name in ("assigned", "order_card")},
}


def test_every_template_shows_no_internal_words():
    """Rendered with every submission status and presence (and none), no template shows any of the internal
    words: a status branch a template forgot would print the raw value."""
    each(TEMPLATES, _shows_no_internal_words)


def _shows_no_internal_words(name: str) -> None:
    env = _lenient()
    rendered = 0
    for status in STATUSES:
        try:
            text = env.get_template(name).render(**{**_params(status), **SHAPED.get(name, {})})
        except (TypeError, AttributeError, ValueError, KeyError, jinja2.TemplateError):
            continue  # this template needs values of a shape these params do not have; others cover it
        rendered += 1
        assert not words(text) & FORBIDDEN, f"{name} with status={status!r}: {text!r}"
    assert rendered or name.endswith(".json")


def test_every_status_has_a_label():
    """The code's tables of submission and follow-up statuses name each one in Chinese."""
    assert set(STATUS_LABELS) == set(SubmissionStatus)
    assert all(not words(v) for v in STATUS_LABELS.values())
    assert set(FOLLOWUP_LABELS) == set(FollowupStatus)
    assert all(not words(v) for v in FOLLOWUP_LABELS.values())


def test_the_review_card_never_shows_a_raw_status():
    """The decided card, for every status a submission can have, superseded or not, reads as Chinese."""
    env = _lenient()
    for status in SubmissionStatus:
        for superseded in (None, 3):
            text = env.get_template("review/card_decided.j2").render(
                **{**_params(status.value), "superseded_by": superseded})
            assert not words(text) & FORBIDDEN, text
            assert ("已被新版本取代" in text) == bool(superseded)
