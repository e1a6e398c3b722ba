"""`zhibu run`: the bot, long polling."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    run = sub.add_parser("run", help="start the bot (long polling); needs ZHIBU_TOKEN")
    run.set_defaults(func=cmd_run)


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import run_polling

    settings.require_token()
    run_polling(settings)
    return 0
