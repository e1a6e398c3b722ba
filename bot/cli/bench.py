"""`zhibu bench updates|http|broadcast|checkin|counties|drain|outbox|digest|startup|import`: benchmarks that print figures (never timed tests)."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="benchmarks on the built-in emulator (print figures)")
    benches = parser.add_subparsers(dest="bench", required=True)
    updates = _county(benches, "updates", _updates,
                      "a burst of check-in taps, form answers, approvals and reads: zhibu vs a bare echo bot")
    _burst(updates, "alternating zhibu/echo runs")
    updates.add_argument("--unpaced", action="store_true",
                         help="no pacing: CPU per update of zhibu, the PTB echo bot and an aiogram echo, in rounds")
    updates.add_argument("--rounds", type=int, default=5, help="rounds with --unpaced (default 5)")
    updates.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite",
                         help="postgresql: zhibu on PostgreSQL (a private server) against zhibu on SQLite instead "
                              "of against the echo bot (default sqlite)")
    updates.add_argument("--aiogram-python", help="with --unpaced: an interpreter that has aiogram (default: this "
                                                   "one, if it has aiogram)")
    http = _county(benches, "http", _http, "the same burst to zhibu over httpx and over aiohttp (unpaced)")
    _burst(http, "alternating aiohttp/httpx runs")
    http.add_argument("--rate", type=float, default=0, help="ZHIBU_SEND_RATE for both (default 0: unpaced)")
    checkin = _county(benches, "checkin", _checkin, "check-in taps at a steady rate while the reminders go out")
    checkin.add_argument("--rate", type=float, default=50, help="taps per second (default 50)")
    checkin.add_argument("--seconds", type=float, default=20, help="how long the taps keep coming (default 20)")
    checkin.add_argument("--runs", type=int, default=3, help="runs, each on the county as seeded (default 3)")
    broadcast = _county(benches, "broadcast", _broadcast, "a notice to every member at Telegram's 30 msg/s limit")
    broadcast.add_argument("--db", default="sqlite", help="sqlite (default: a temporary file), postgresql (a private "
                                                          "server) or the URL of an empty PostgreSQL database")
    roster = _county(benches, "import", _import, "import an office's roster workbook (xlsx) into a fresh database",
                     members="members in the workbook")
    roster.add_argument("--units", type=int, default=30, help="党委 under the county (default 30)")
    startup = _county(benches, "startup", _startup, "answers to people while a fresh county's start-up work runs")
    startup.add_argument("--rate", type=float, default=5.0, help="people arriving per second (default 5)")
    drain = _county(benches, "drain", _drain, "one outbox drain with a large outbox and nothing due")
    drain.add_argument("--rows", type=int, default=1_000_000, help="outbox rows to seed (default 1000000)")
    drain.add_argument("--runs", type=int, default=3, help="first drains, each from the seeded file (default 3)")
    shared = benches.add_parser("outbox", help="several processes draining one PostgreSQL outbox (a private "
                                               "server), unpaced, to the emulator: rows/s and duplicates")
    shared.add_argument("--workers", default="1,2,4", help="worker processes, comma-separated (default 1,2,4)")
    shared.add_argument("--rows", type=int, default=5000, help="messages per run (default 5000)")
    shared.add_argument("--runs", type=int, default=1, help="runs per worker count, in turns (default 1)")
    shared.set_defaults(func=_outbox)
    counties = benches.add_parser("counties", help="many county bots, one process each: memory, toasts and "
                                                   "each bot's 30 msg/s while all broadcast at once")
    counties.add_argument("--counties", type=int, default=10, help="county bots (default 10)")
    counties.add_argument("--members", type=int, default=2000, help="members per county (default 2000)")
    counties.add_argument("--branches", type=int, default=90, help="branches per county (default 90)")
    counties.add_argument("--rate", type=float, default=3, help="签到 taps a second per county (default 3)")
    counties.add_argument("--seconds", type=float, default=20, help="how long the taps keep coming (default 20)")
    counties.add_argument("--runs", type=int, default=3, help="runs, each from the counties as seeded (default 3)")
    counties.set_defaults(func=_counties)
    digest = benches.add_parser("digest", help="the scheduled passes (start-up planning, idle ticks, the daily "
                                               "digest) at several county sizes")
    digest.add_argument("--sizes", default="2000,20000,100000", help="members, comma-separated "
                                                                     "(default 2000,20000,100000)")
    digest.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    digest.add_argument("--runs", type=int, default=3, help="runs per size, each from the seeded file (default 3)")
    digest.set_defaults(func=_digest)


def _county(benches: argparse._SubParsersAction, name: str, func, help_: str,
            members: str = "members to seed") -> argparse.ArgumentParser:
    """A bench's parser with the county's size: --members (20,000) and --branches (900) by default."""
    bench = benches.add_parser(name, help=help_)
    bench.add_argument("--members", type=int, default=20_000, help=f"{members} (default 20000)")
    bench.add_argument("--branches", type=int, default=900, help="branches to seed (default 900)")
    bench.set_defaults(func=func)
    return bench


def _burst(bench: argparse.ArgumentParser, pairs: str) -> None:
    bench.add_argument("--updates", type=int, default=2_000, help="updates in the burst (default 2000)")
    bench.add_argument("--pairs", type=int, default=3, help=f"{pairs} (default 3)")


def _updates(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import updates

    if args.unpaced:
        from bot.bench import unpaced

        figures = asyncio.run(unpaced.run(args.members, args.branches, args.updates, args.rounds,
                                          unpaced.aiogram_python(args.aiogram_python)))
        print(unpaced.report(figures))
        return 0

    if args.db == "postgresql":
        from bot.bench import engines

        pg, lite = asyncio.run(engines.run(args.members, args.branches, args.updates, args.pairs))
        print(engines.report(pg, lite))
        return 0
    zhibu, echo = asyncio.run(updates.run(args.members, args.branches, args.updates, args.pairs))
    print(updates.report(zhibu, echo))
    return 0


def _http(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import http

    aiohttp, httpx = asyncio.run(http.run(args.members, args.branches, args.updates, args.pairs, args.rate))
    print(http.report(aiohttp, httpx))
    return 0


def _checkin(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import checkin

    zhibu, echo = asyncio.run(checkin.run(args.members, args.branches, args.rate, args.seconds, args.runs))
    print(checkin.report(zhibu, echo, args.rate))
    return 0


def _drain(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import drain

    figures = asyncio.run(drain.run(args.rows, args.members, args.branches, runs=args.runs))
    print(drain.report(figures))
    return 0


def _counties(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import counties

    runs = asyncio.run(counties.run(args.counties, args.members, args.branches, args.rate, args.seconds, args.runs))
    print(counties.report(runs, args.counties, args.members, args.rate))
    return 0


def _digest(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import digest

    sizes = tuple(int(size) for size in args.sizes.split(","))
    print(digest.report(asyncio.run(digest.run(sizes, args.branches, args.runs))))
    return 0


def _outbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import outbox, pg_server

    counts = [int(n) for n in args.workers.split(",")]
    server = pg_server.start_server()
    try:
        figures = []
        for _ in range(args.runs):
            for workers in counts:
                url = server.create()
                figures.append(asyncio.run(outbox.run(url, args.rows, workers)))
                server.drop(url)
                print(outbox.report(figures[-1:]).splitlines()[1], flush=True)
    finally:
        server.stop()
    print(outbox.report(figures))
    return 0 if all(f.duplicates == 0 and f.lost == 0 and f.not_sent == 0 for f in figures) else 1


def _broadcast(settings: Settings, args: argparse.Namespace) -> int:
    from bot.bench import broadcast

    figures = asyncio.run(broadcast.run(args.members, args.branches, db=args.db))
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
