"""`zhibu migrate` and `zhibu backup PATH`: the database's schema and a safe copy of it."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    migrate = sub.add_parser("migrate", help="apply database migrations (the bot also does this at start)")
    migrate.set_defaults(func=cmd_migrate)

    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", help="where to write the copy")
    backup.set_defaults(func=cmd_backup)


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from storage.schema import migrate, schema_version

    async def work():
        if isinstance(settings.db, str):
            from storage.postgresql import connect

            db = await connect(settings.db)
        else:
            from storage.sqlite import connect as connect_file

            db = await connect_file(settings.db)
        try:
            applied = await migrate(db)
            return applied, await schema_version(db)
        finally:
            await db.close()

    applied, version = asyncio.run(work())
    print(f"applied {len(applied)} migration(s); schema version {version}")
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from storage.copies import BackupRefused, backup

    if isinstance(settings.db, str):
        print("error: ZHIBU_DB is a PostgreSQL database; back it up with PostgreSQL's own pg_dump "
              "(pg_dump -Fc -f zhibu.dump URL)", file=sys.stderr)
        return 2
    if not settings.db.exists():
        print(f"error: ZHIBU_DB: no database at {settings.db}", file=sys.stderr)
        return 2
    try:
        backup(settings.db, args.path)
    except BackupRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"backed up {settings.db} to {args.path}")
    return 0
