"""Subcommands that live with their features (each module exposes `add_parser(sub)`)."""

from __future__ import annotations

import bot.features  # noqa: F401  registers the features' exporters before the parsers read them
from bot import minutes_cli
from bot.bench import cli as bench_cli
from bot.demo import cli as demo_cli
from bot.emulator import cli as emulator_cli
from bot.exports import cli as export_cli

ALL: list = [export_cli.add_parser, bench_cli.add_parser, demo_cli.add_parser, emulator_cli.add_parser,
             minutes_cli.add_parser]
