"""The one registration point: each feature module exposes `handlers()`; order matters (fallbacks last)."""

from __future__ import annotations

from telegram.ext import Application

from handlers import export, forms, groups, help, invite, join, members, notices, review, start
from handlers import compliance, evaluation, meetings, minutes, peereval, selfeval, sessions, themeday
from handlers.telegram import errors, fallback

# Feature modules first, then the form router (free text), then the catch-alls.
FEATURES = (groups, start, help, invite, join, members, review, export, notices, meetings, themeday, sessions,
            minutes, compliance, evaluation, selfeval, peereval)


def register(app: Application) -> None:
    for feature in FEATURES:
        app.add_handlers(feature.handlers())
    app.add_handlers(forms.handlers())
    app.add_handlers(fallback.handlers())
    app.add_error_handler(errors.on_error)
