"""The feature list → registry wiring: order is kept, a name declared twice is refused, no import registers."""

from __future__ import annotations

import pytest

from bot.catalog import core_features, core_registry
from bot.features import ChatSide, Feature, Form, Registry


async def _tick(svc, now) -> None:
    return None


async def _other_tick(svc, now) -> None:
    return None


async def _check(svc, row, now) -> bool:
    return True


def test_registry_keeps_the_declared_order():
    """Ticks and digest sections come out in list order, whatever order the modules were imported in."""
    first = Feature(name="a", ticks=(_other_tick,), digest_sections=(("A", _check),))
    second = Feature(name="b", ticks=(_tick, _other_tick), digest_sections=(("B", _check),))
    registry = Registry.from_features([second, first])
    assert registry.ticks == (_tick, _other_tick, _other_tick)
    assert [title for title, _ in registry.digest_sections] == ["B", "A"]


@pytest.mark.parametrize("twice", [
    [Feature(name="a"), Feature(name="a")],
    [Feature(name="a", relevance={"k": _check}), Feature(name="b", relevance={"k": _check})],
    [Feature(name="a", chat=ChatSide(list, (Form("f", _tick),))),
     Feature(name="b", chat=ChatSide(list, (Form("f", _tick),)))],
])
def test_a_name_declared_twice_is_refused(twice):
    """Two features claiming one name (feature, outbox kind, form …) is a wiring mistake, caught at start."""
    with pytest.raises(ValueError, match="declared twice"):
        Registry.from_features(twice)


def test_core_list_runs_ticks_in_the_order_it_lists_them():
    """The digests (branches', then officers') go out before the meetings close and re-plan, then theme days and
    the reminder that next year's holidays are not entered, their themes' due day, then compliance warnings, then the
    thought-report reminders, the quarterly 述职 problem checks, the close of the units' 民主生活会 and the six-month
    alarm's daily pass, then a unit's
    settled policy change told to its branches and the 民心墙's erasure of old residents' details; the officers'
    filing digest (it carries what the day's closings filed), then the once-only reminder of filed records past
    their review day."""
    ticks = [f"{tick.__module__.rsplit('.', 1)[1]}.{tick.__name__}" for tick in core_registry().ticks]
    assert ticks == ["digest.send_due_digests", "overview.send_officer_digests", "close.close_due",
                     "reminders.replan_daily", "themeday.create_due", "calendars.remind_unknown",
                     "theme_due.remind", "compliance.warn_unscheduled",
                     "reports.plan_reminders", "shuzhi_problems.plan_checks", "life_meetings.close_due", "lapse.daily_pass",
                     "unit_policy.tell_changes", "wall.erase", "filing.send_filing_digests",
                     "filing_review.remind_overdue"]


def test_a_fresh_list_is_the_only_source():
    """The registry holds exactly what the listed features declare: leaving one out leaves its parts out."""
    without_minutes = [f for f in core_features() if f.name != "minutes"]
    registry = Registry.from_features(without_minutes)
    assert "minutes" not in registry.review_kinds and "minutes.remind" not in registry.relevance
    assert "minutes" in core_registry().review_kinds and "minutes.remind" in core_registry().relevance


def test_every_chat_side_belongs_to_a_listed_feature():
    """The app's list attaches each handlers module's chat side; forms reach the registry through it."""
    from bot.app import features

    listed = features()
    assert [f.name for f in listed] == [f.name for f in core_features()]
    forms = Registry.from_features(listed).forms
    assert forms["makeup"].resume == "/makeup" and "join" in forms
