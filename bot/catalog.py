"""The features zhibu is made of, in one visible order — the core list the app and the CLI are built with.

The order is behaviour: ticks run, digest sections show, exporters are listed and chat handlers match in this
order. Features that only have a chat side are named here too; bot/app.py attaches each feature's chat side
(declared in handlers/) by name, and the CLI uses this list as it is.
"""

from __future__ import annotations

from bot.exports import attendance as attendance_book
from bot.exports import audit as audit_book
from bot.exports import community as community_books
from bot.exports import dues as dues_book
from bot.exports import evaluation as evaluation_books
from bot.exports import minutes as minutes_book
from bot.exports import shuzhi as shuzhi_books
from bot.exports import talks as talk_books
from bot.exports import unit as unit_books
from bot.exports import yuetan as yuetan_books
from bot.features import Feature, Registry
from bot.services import (
    away,
    calendars,
    compliance,
    digest,
    dues,
    evaluation,
    filing,
    filing_review,
    followthrough,
    followups,
    holidays,
    join_requests,
    lapse,
    life_meetings,
    meetings,
    minutes,
    notices,
    overview,
    quiz,
    reports,
    review,
    selfeval,
    shuzhi,
    shuzhi_problems,
    talks,
    tasks,
    theme_due,
    themeday,
    unit_policy,
    wall,
    yuetan,
)


def core_features() -> list[Feature]:
    return [
        Feature(name="groups"),
        Feature(name="start"),
        Feature(name="help"),
        Feature(name="todos"),
        Feature(name="invite"),
        join_requests.FEATURE,
        Feature(name="membership"),
        Feature(name="partygroups"),
        Feature(name="units"),
        Feature(name="roster"),
        review.FEATURE,
        digest.FEATURE,
        overview.FEATURE,  # before meetings: `/attendance 图表` is matched before a plain /attendance
        Feature(name="export"),
        notices.FEATURE,
        meetings.FEATURE,
        attendance_book.FEATURE,
        themeday.FEATURE,
        holidays.FEATURE,
        calendars.FEATURE,
        theme_due.FEATURE,
        dues.FEATURE,
        dues_book.FEATURE,
        away.FEATURE,
        Feature(name="scheduling"),
        Feature(name="study_notes"),
        minutes.FEATURE,
        minutes_book.FEATURE,
        compliance.FEATURE,
        evaluation.FEATURE,
        selfeval.FEATURE,
        evaluation_books.FEATURE,
        Feature(name="peereval"),
        Feature(name="branch_settings"),
        talks.FEATURE,
        reports.FEATURE,
        talk_books.FEATURE,
        shuzhi.FEATURE,
        shuzhi_problems.FEATURE,
        shuzhi_books.FEATURE,
        yuetan.FEATURE,
        yuetan_books.FEATURE,
        life_meetings.FEATURE,  # 民主生活会: meetings a unit hosts
        lapse.FEATURE,
        quiz.FEATURE,
        unit_policy.FEATURE,  # before the filing digest, which stays the last tick
        wall.FEATURE,
        Feature(name="stars"),
        Feature(name="pledges"),
        community_books.FEATURE,
        filing.FEATURE,
        followthrough.FEATURE,
        filing_review.FEATURE,
        tasks.FEATURE,
        followups.FEATURE,
        audit_book.FEATURE,
        unit_books.FEATURE,
        Feature(name="audit"),
    ]


def core_registry() -> Registry:
    """The registry of the core list, for the CLI and tests (no chat side)."""
    return Registry.from_features(core_features())
