"""`zhibu branch create|list`: set up branches and their secretaries from the shell."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.cli.services import with_services
from bot.settings import Settings

log = logging.getLogger("zhibu")

PLACEHOLDER_USERNAME = "YOUR_BOT_USERNAME"


def add_parser(sub: argparse._SubParsersAction) -> None:
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


async def _bot_username(settings: Settings) -> tuple[str, str | None]:
    """The bot's @username from getMe when a token is set; else a placeholder and why there is no name."""
    if settings.token is None:
        return PLACEHOLDER_USERNAME, "no ZHIBU_TOKEN is set, so the bot's username is not known"
    from telegram import Bot

    bot = Bot(settings.require_token(), base_url=settings.api_base_url, base_file_url=settings.api_file_url)
    try:
        async with bot:
            return bot.username, None
    except Exception as exc:  # noqa: BLE001 - offline is normal here; the link can be fixed by hand
        log.debug("getMe failed", exc_info=True)
        return PLACEHOLDER_USERNAME, f"Telegram could not be reached to ask the bot's username ({exc})"


def cmd_branch_create(settings: Settings, args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.services import membership

    async def work(svc):
        return await membership.create_branch(svc, args.name, args.secretary_id, args.secretary_name, args.tz)

    try:
        branch, secretary, invitation = asyncio.run(with_services(settings, work))
    except UserError:
        print("error: --secretary-name must be a real name (Chinese characters or letters, at most 20)",
              file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    username, why_unknown = asyncio.run(_bot_username(settings))
    from bot.services.membership import invite_link

    print(f"branch id: {branch.id}")
    print(f"name: {branch.name}")
    print(f"secretary: {secretary.name} (Telegram id {secretary.telegram_id})")
    print(f"invite link: {invite_link(username, invitation.code)}")
    if why_unknown is not None:
        print(f"note: {why_unknown}. The branch is created all the same: replace {PLACEHOLDER_USERNAME} in the link "
              "with your bot's username (from @BotFather), or let the secretary send /invite to the bot, which "
              "gives the full link.")
    return 0


def cmd_branch_list(settings: Settings, args: argparse.Namespace) -> int:
    from storage import branches

    async def work(svc):
        return await branches.list_with_counts(svc.db)

    rows = asyncio.run(with_services(settings, work))
    if not rows:
        print("no branches yet: create one with `zhibu branch create`")
        return 0
    print(f"{'id':>5}  {'active':>6}  {'pending':>7}  name")
    for branch, active, pending in rows:
        print(f"{branch.id:>5}  {active:>6}  {pending:>7}  {branch.name}")
    return 0
