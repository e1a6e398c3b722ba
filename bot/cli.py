"""The `zhibu` command: run, branch …, migrate, backup (and the features' own subcommands)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence

from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("zhibu")

PLACEHOLDER_USERNAME = "YOUR_BOT_USERNAME"


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


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import run_polling

    settings.require_token()
    run_polling(settings)
    return 0


async def _bot_username(settings: Settings) -> str:
    """The bot's @username from getMe when a token is set, else a placeholder to replace."""
    if settings.token is None:
        return PLACEHOLDER_USERNAME
    from telegram import Bot

    bot = Bot(settings.require_token(), base_url=settings.api_base_url, base_file_url=settings.api_file_url)
    try:
        async with bot:
            return bot.username
    except Exception as exc:  # noqa: BLE001 - offline is normal here; the link can be fixed by hand
        log.warning("could not ask Telegram for the bot's username (%s); using a placeholder", exc)
        return PLACEHOLDER_USERNAME


async def _with_services(settings: Settings, work: Callable) -> object:
    from bot.services import Services
    from storage.db import open_database

    db = await open_database(settings.db)
    try:
        return await work(Services(db=db, settings=settings))
    finally:
        await db.close()


def cmd_branch_create(settings: Settings, args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.services import membership

    async def work(svc):
        return await membership.create_branch(svc, args.name, args.secretary_id, args.secretary_name, args.tz)

    try:
        branch, secretary, invitation = asyncio.run(_with_services(settings, work))
    except UserError:
        print("error: --secretary-name must be a real name (Chinese characters or letters, at most 20)",
              file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    username = asyncio.run(_bot_username(settings))
    from bot.services.membership import invite_link

    print(f"branch id: {branch.id}")
    print(f"name: {branch.name}")
    print(f"secretary: {secretary.name} (Telegram id {secretary.telegram_id})")
    print(f"invite link: {invite_link(username, invitation.code)}")
    if username == PLACEHOLDER_USERNAME:
        print(f"(replace {PLACEHOLDER_USERNAME} with your bot's username; the secretary can also send /invite)")
    return 0


def cmd_branch_list(settings: Settings, args: argparse.Namespace) -> int:
    from storage import branches

    async def work(svc):
        return await branches.list_with_counts(svc.db)

    rows = asyncio.run(_with_services(settings, work))
    if not rows:
        print("no branches yet: create one with `zhibu branch create`")
        return 0
    print(f"{'id':>5}  {'active':>6}  {'pending':>7}  name")
    for branch, active, pending in rows:
        print(f"{branch.id:>5}  {active:>6}  {pending:>7}  {branch.name}")
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from storage.db import connect, migrate, schema_version

    async def work():
        db = await connect(settings.db)
        try:
            applied = await migrate(db)
            return applied, await schema_version(db)
        finally:
            await db.close()

    applied, version = asyncio.run(work())
    print(f"applied {len(applied)} migration(s); schema version {version}")
    return 0


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    from storage.db import BackupRefused, backup

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhibu", description="支部助手: a Telegram bot for a party branch's routine work")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="start the bot (long polling); needs ZHIBU_TOKEN")
    run.set_defaults(func=cmd_run)

    branch = sub.add_parser("branch", help="create and list branches")
    branch_sub = branch.add_subparsers(dest="branch_command", required=True, metavar="ACTION")
    create = branch_sub.add_parser("create", help="create a branch and its secretary; prints the invite link")
    create.add_argument("--name", required=True, help="the branch's name, e.g. 第一党支部")
    create.add_argument("--secretary-id", required=True, type=int, help="the secretary's Telegram user id")
    create.add_argument("--secretary-name", required=True, help="the secretary's real name")
    create.add_argument("--tz", default=None, help="the branch's time zone if not ZHIBU_TZ")
    create.set_defaults(func=cmd_branch_create)
    listing = branch_sub.add_parser("list", help="list branches with member counts")
    listing.set_defaults(func=cmd_branch_list)

    migrate = sub.add_parser("migrate", help="apply database migrations (the bot also does this at start)")
    migrate.set_defaults(func=cmd_migrate)

    backup = sub.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", help="where to write the copy")
    backup.set_defaults(func=cmd_backup)

    for extend in _EXTENSIONS:
        extend(sub)
    return parser


# Feature modules add their subcommands (export, bench, demo) here.
_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        _setup_logging(settings.log_level, settings.token.get_secret_value() if settings.token else None)
        return int(args.func(settings, args) or 0)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _load_extensions() -> None:
    if _EXTENSIONS:
        return
    from bot import cli_extensions

    _EXTENSIONS.extend(cli_extensions.ALL)


if __name__ == "__main__":
    sys.exit(main())
