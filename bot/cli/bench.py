"""`zhibu bench updates|broadcast|drain|checkin`: benchmarks that print figures (never timed tests)."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="benchmarks on the built-in emulator (print figures)")
    benches = parser.add_subparsers(dest="bench", required=True)
    updates = benches.add_parser("updates", help="a burst of check-in taps, form answers, approvals and reads: zhibu vs a bare echo bot")
    updates.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    updates.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    updates.add_argument("--updates", type=int, default=2_000, help="updates in the burst (default 2000)")
    updates.add_argument("--pairs", type=int, default=3, help="alternating zhibu/echo runs (default 3)")
    updates.set_defaults(func=_updates)
    checkin = benches.add_parser("checkin", help="check-in taps at a steady rate while the reminders go out")
    checkin.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    checkin.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    checkin.add_argument("--rate", type=float, default=50, help="taps per second (default 50)")
    checkin.add_argument("--seconds", type=float, default=20, help="how long the taps keep coming (default 20)")
    checkin.set_defaults(func=_checkin)
    broadcast = benches.add_parser("broadcast", help="a notice to every member at Telegram's 30 msg/s limit")
    broadcast.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    broadcast.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    broadcast.set_defaults(func=_broadcast)
    drain = benches.add_parser("drain", help="one outbox drain with a large outbox and nothing due")
    drain.add_argument("--rows", type=int, default=1_000_000, help="outbox rows to seed (default 1000000)")
    drain.add_argument("--members", type=int, default=20_000, help="members to seed (default 20000)")
    drain.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    drain.set_defaults(func=_drain)


def _updates(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import updates

    zhibu, echo = asyncio.run(updates.run(args.members, args.branches, args.updates, args.pairs))
    print(updates.report(zhibu, echo))
    return 0


def _checkin(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import checkin

    zhibu, echo = asyncio.run(checkin.run(args.members, args.branches, args.rate, args.seconds))
    print(checkin.report(zhibu, echo, args.rate))
    return 0


def _drain(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import drain

    figures = asyncio.run(drain.run(args.rows, args.members, args.branches))
    print(drain.report(figures))
    return 0


def _broadcast(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import broadcast

    figures = asyncio.run(broadcast.run(args.members, args.branches))
    print(broadcast.report(figures))
    return 0 if figures.duplicates == 0 and figures.lost == 0 else 1
