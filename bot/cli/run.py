"""`zhibu run`: the bot, by long polling or (ZHIBU_WEBHOOK_URL) by webhook."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the bot (long polling, or webhook mode with ZHIBU_WEBHOOK_URL); "
                                     "needs ZHIBU_TOKEN")
    run.set_defaults(func=cmd_run)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken

    from bot.app import run_polling, run_webhook

    settings.require_token()
    if settings.webhook_url:
        settings.require_webhook_secret()  # refused before anything starts, with the setting's name
    from storage.leadership import AnotherProcessRuns, SqliteLeadership, leadership_for

    leadership = leadership_for(settings.db)
    if isinstance(leadership, SqliteLeadership):  # one process per SQLite file: refused before anything starts
        try:
            asyncio.run(leadership.try_lead())
        except AnotherProcessRuns as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    try:
        (run_webhook if settings.webhook_url else run_polling)(settings, leadership)
    except InvalidToken:
        # Waiting would not help: the token is wrong (or revoked). Say so without a traceback.
        print("the Bot API refused ZHIBU_TOKEN (invalid or revoked token)", file=sys.stderr)
        return 2
    return 0
