"""The `zhibu` command: one module per command group, each with `add_parser(sub)`, listed here in help order."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import (
    bench,
    branch,
    database,
    demo,
    emulator,
    export,
    holidays,
    meetings,
    rollup,
    roster,
    run,
    units,
)
from bot.settings import SettingsError, load_settings

# `zhibu --help` lists the command groups in this order.
GROUPS = (run, rollup, branch, units, roster, holidays, database, export, bench, demo, emulator, meetings)


class _RedactingFormatter(logging.Formatter):
    """PTB logs the Bot API URL (which holds the token) at DEBUG, and tracebacks may quote it: blank it out."""

    def __init__(self, fmt: str, secret: str | None) -> None:
        super().__init__(fmt)
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(self.secret, "<token>") if self.secret else text


def _setup_logging(level: str, token: str | None = None) -> None:
    logging.basicConfig(level=level)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", token))
    # httpx logs every request URL, and PTB puts the token in the URL: keep it out of the logs.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibu", description="支部助手: a Telegram bot for a party branch's routine work")
    parser.add_argument("--county", metavar="NAME",
                        help="one county of a deployment of many: read counties/NAME.env over .env (its token, "
                             "database, officers); may also follow the command (zhibu run --county NAME)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.add_parser(sub)
    return parser


def _county_first(argv: Sequence[str]) -> list[str]:
    """`--county NAME` is the command line's own option wherever it is written: moved before the command."""
    rest, county = list(argv), []
    for index, word in enumerate(rest):
        if word == "--county" and index + 1 < len(rest):
            county = rest[index:index + 2]
            del rest[index:index + 2]
            break
        if word.startswith("--county="):
            county = [word]
            del rest[index]
            break
    return county + rest


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(_county_first(sys.argv[1:] if argv is None else argv))
    try:
        settings = load_settings(args.county)
        _setup_logging(settings.log_level, settings.token.get_secret_value() if settings.token else None)
        return int(args.func(settings, args) or 0)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
