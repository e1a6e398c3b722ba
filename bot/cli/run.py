"""`zhibu run`: the bot, long polling."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the bot (long polling); needs ZHIBU_TOKEN")
    run.set_defaults(func=cmd_run)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken

    from bot.app import run_polling

    settings.require_token()
    try:
        run_polling(settings)
    except InvalidToken:
        # Waiting would not help: the token is wrong (or revoked). Say so without a traceback.
        print("the Bot API refused ZHIBU_TOKEN (invalid or revoked token)", file=sys.stderr)
        return 2
    return 0
