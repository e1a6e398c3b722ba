"""`zhibu rollup`: the bot of the city's or province's organisation department over every county of the deployment
(ZHIBU_ROLLUP_TOKEN, _NAME, _COUNTIES, _OFFICERS; see bot/rollup/config.py)."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("rollup", help="start the roll-up bot for 市委/省委组织部 over the counties' databases "
                                           "(ZHIBU_ROLLUP_TOKEN, ZHIBU_ROLLUP_COUNTIES, ZHIBU_ROLLUP_OFFICERS)")
    parser.set_defaults(func=cmd_rollup)


class _Redacting(logging.Formatter):
    """PTB logs the Bot API URL (with the token in it) at DEBUG: the county's token is blanked by the command line's
    own formatter, the roll-up's by this one around it."""

    def __init__(self, inner: logging.Formatter, secret: str) -> None:
        super().__init__()
        self.inner, self.secret = inner, secret

    def format(self, record: logging.LogRecord) -> str:
        return self.inner.format(record).replace(self.secret, "<token>")


def cmd_rollup(settings: Settings, args: argparse.Namespace) -> int:
    from telegram.error import InvalidToken

    from bot.rollup.app import run_rollup
    from bot.rollup.config import load_rollup

    config = load_rollup()
    token = config.require_token()
    config.county_settings(settings)  # every county named and found before anything starts
    if not config.officers:
        print("warning: ZHIBU_ROLLUP_OFFICERS is empty: the roll-up bot will refuse everyone", file=sys.stderr)
    for handler in logging.getLogger().handlers:  # the roll-up's token stays out of the logs too
        handler.setFormatter(_Redacting(handler.formatter or logging.Formatter(), token))
    try:
        run_rollup(settings, config)
    except InvalidToken:
        print("the Bot API refused ZHIBU_ROLLUP_TOKEN (invalid or revoked token)", file=sys.stderr)
        return 2
    return 0
