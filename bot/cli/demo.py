"""`zhibu demo`: try the bot in a browser, with no Telegram account and no network."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.settings import Settings

DEFAULT_DB = Path("zhibu-demo.db")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="the emulator, the real bot and a web page with phones side by side")
    parser.add_argument("--host", default=None, help="address to serve on (default ZHIBU_DEMO_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default ZHIBU_DEMO_PORT, 8080)")
    parser.add_argument("--db", default=str(DEFAULT_DB),
                        help=f"the demo database, kept between runs: an SQLite file (default {DEFAULT_DB}) or a "
                             "PostgreSQL URL (postgresql://…; an empty database is seeded)")
    parser.add_argument("--fresh", action="store_true",
                        help="start the demo afresh: the SQLite file given by --db is removed first (a PostgreSQL "
                             "database is not: drop and create it yourself)")
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.demo.runner import forget, serve
    from storage.db import is_postgresql

    db = args.db if is_postgresql(args.db) else Path(args.db)
    if args.fresh:
        if isinstance(db, str):
            print("error: --fresh removes an SQLite file; empty a PostgreSQL database with dropdb and createdb",
                  flush=True)
            return 2
        forget(db)
    host = args.host or settings.demo_host
    port = settings.demo_port if args.port is None else args.port
    try:
        asyncio.run(serve(settings, host, port, db))
    except OSError as exc:
        print(f"error: cannot serve on {host}:{port} ({exc.strerror or exc}); try --port", flush=True)
        return 1
    return 0
