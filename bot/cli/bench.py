"""`zhibu bench updates|broadcast|import`: benchmarks that print figures (never timed tests)."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="benchmarks on the built-in emulator (print figures)")
    benches = parser.add_subparsers(dest="bench", required=True)
    updates = benches.add_parser("updates", help="a burst of /start, /help and button taps: zhibu vs a bare echo bot")
    updates.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    updates.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    updates.add_argument("--updates", type=int, default=2_000, help="updates in the burst (default 2000)")
    updates.set_defaults(func=_updates)
    broadcast = benches.add_parser("broadcast", help="a notice to every member at Telegram's 30 msg/s limit")
    broadcast.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    broadcast.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    broadcast.set_defaults(func=_broadcast)
    roster = benches.add_parser("import", help="import an office's roster workbook (xlsx) into a fresh database")
    roster.add_argument("--members", type=int, default=20_000, help="members in the workbook (default 20000)")
    roster.add_argument("--branches", type=int, default=900, help="branches (default 900)")
    roster.add_argument("--units", type=int, default=30, help="党委 under the county (default 30)")
    roster.set_defaults(func=_import)
    startup = benches.add_parser("startup", help="answers to people while a fresh county's start-up work runs")
    startup.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    startup.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    startup.add_argument("--rate", type=float, default=5.0, help="people arriving per second (default 5)")
    startup.set_defaults(func=_startup)


def _updates(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import updates

    zhibu, echo = asyncio.run(updates.run(args.members, args.branches, args.updates))
    print(updates.report(zhibu, echo))
    return 0


def _broadcast(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import broadcast

    figures = asyncio.run(broadcast.run(args.members, args.branches))
    print(broadcast.report(figures))
    return 0 if figures.duplicates == 0 and figures.lost == 0 else 1


def _import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import roster

    figures = asyncio.run(roster.run(args.members, args.branches, args.units))
    print(roster.report(figures))
    return 0 if figures.reimport_changes == 0 else 1


def _startup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import startup

    figures = asyncio.run(startup.run(args.members, args.branches, args.rate))
    print(startup.report(figures))
    return 1 if figures.lost else 0
