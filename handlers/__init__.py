"""The one registration point: each feature's chat side (handlers and forms), attached to the feature by name.

The order of features is bot/catalog.py's: feature handlers in that order, then the form router (free text),
then the catch-alls.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram.ext import Application

from bot.features import ChatSide, Feature
from handlers import (
    audit,
    away,
    branch_settings,
    calendars,
    checkin_qr,
    community,
    compliance,
    drafting,
    dues,
    evaluation,
    export,
    filed,
    filing,
    forms,
    groups,
    help,
    holidays,
    inspectors,
    invite,
    join,
    lapse,
    life,
    makeup_record,
    meetings,
    membership,
    minutes,
    notices,
    overview,
    partygroups,
    peereval,
    pledges,
    policy,
    quiz,
    reports,
    review,
    roster,
    scheduling,
    selfeval,
    shuzhi,
    stars,
    start,
    study_notes,
    talks,
    task_progress,
    tasks,
    themeday,
    todos,
    units,
    wall,
    yuetan,
)
from handlers.telegram import errors, fallback

# Each feature's chat side, by the feature's name.
CHAT: dict[str, ChatSide] = {
    "groups": ChatSide(groups.handlers),
    "start": ChatSide(start.handlers),
    "help": ChatSide(help.handlers),
    "todos": ChatSide(todos.handlers),
    "invite": ChatSide(invite.handlers),
    "join": ChatSide(join.handlers, join.FORMS),
    "membership": ChatSide(membership.handlers, membership.FORMS),
    "partygroups": ChatSide(partygroups.handlers, partygroups.FORMS),
    "units": ChatSide(lambda: [*units.handlers(), *inspectors.handlers()], units.FORMS + inspectors.FORMS),
    "policy": ChatSide(policy.handlers, policy.FORMS),
    "overview": ChatSide(overview.handlers, overview.FORMS),
    "roster": ChatSide(roster.handlers, roster.FORMS),
    "review": ChatSide(lambda: [*review.handlers(), *drafting.handlers()], review.FORMS),
    "export": ChatSide(export.handlers),
    "notices": ChatSide(notices.handlers, notices.FORMS),
    "meetings": ChatSide(lambda: [*meetings.handlers(), *makeup_record.handlers(), *checkin_qr.handlers()],
                         meetings.FORMS + makeup_record.FORMS, meetings.PHRASES),
    "themeday": ChatSide(themeday.handlers, themeday.FORMS),
    "holidays": ChatSide(holidays.handlers, holidays.FORMS),
    "calendars": ChatSide(calendars.handlers, calendars.FORMS),
    "dues": ChatSide(dues.handlers, dues.FORMS),
    "away": ChatSide(away.handlers, away.FORMS),
    "scheduling": ChatSide(scheduling.handlers, scheduling.FORMS),
    "minutes": ChatSide(minutes.handlers, minutes.FORMS),
    "compliance": ChatSide(compliance.handlers),
    "evaluation": ChatSide(evaluation.handlers, evaluation.FORMS),
    "selfeval": ChatSide(selfeval.handlers, selfeval.FORMS),
    "peereval": ChatSide(peereval.handlers, peereval.FORMS),
    "branch_settings": ChatSide(branch_settings.handlers, branch_settings.FORMS),
    "talks": ChatSide(talks.handlers, talks.FORMS),
    "reports": ChatSide(reports.handlers, reports.FORMS),
    "filed": ChatSide(filed.handlers, filed.FORMS),
    "tasks": ChatSide(lambda: [*tasks.handlers(), *task_progress.handlers()], tasks.FORMS),
    "followups": ChatSide(filing.handlers, filing.FORMS),
    "wall": ChatSide(wall.handlers, wall.FORMS),
    "stars": ChatSide(stars.handlers, stars.FORMS),
    "pledges": ChatSide(pledges.handlers, pledges.FORMS),
    "community": ChatSide(community.handlers, community.FORMS),
    "shuzhi": ChatSide(shuzhi.handlers, shuzhi.FORMS),
    "yuetan": ChatSide(yuetan.handlers, yuetan.FORMS),
    "life_meetings": ChatSide(life.handlers, life.FORMS),
    "lapse": ChatSide(lapse.handlers),
    "quiz": ChatSide(quiz.handlers, quiz.FORMS),
    "study_notes": ChatSide(study_notes.handlers, study_notes.FORMS),
    "audit": ChatSide(audit.handlers),
}


def with_chat(features: Sequence[Feature]) -> list[Feature]:
    """The features with their chat sides attached; a chat side for a feature not in the list is a mistake."""
    names = {feature.name for feature in features}
    if unknown := sorted(set(CHAT) - names):
        raise ValueError(f"chat side for features not in the list: {', '.join(unknown)}")
    return [feature.with_chat(CHAT[feature.name]) if feature.name in CHAT else feature for feature in features]


def register(app: Application, features: Sequence[Feature]) -> None:
    app.add_handler(fallback.edits(), group=-1)
    for feature in features:
        if feature.chat is not None:
            app.add_handlers(list(feature.chat.handlers()))
    app.add_handlers(forms.handlers())
    app.add_handlers(fallback.handlers())
    app.add_error_handler(errors.on_error)
