"""`zhibu holidays import FILE [--unit ID] [--apply]` and `zhibu holidays list --year YYYY [--unit ID | --branch ID]`:
the State Council's holiday notice entered for a unit's subtree (the root's: the county's), and the effective days."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.services import with_services
from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("holidays", help="public holidays: enter the State Council's notice, list a year's days")
    commands = parser.add_subparsers(dest="holidays_command", required=True, metavar="ACTION")
    enter = commands.add_parser("import", help="read a notice (.txt) or a table (.csv/.xlsx): a preview, then --apply")
    enter.add_argument("file", type=Path, help="the notice's text, or rows of `date,放假|上班[,festival]`")
    enter.add_argument("--unit", type=int, default=None, help="the unit it is for (default: the root, the county)")
    enter.add_argument("--apply", action="store_true", help="store it (without it: preview only)")
    enter.set_defaults(func=cmd_import)
    listing = commands.add_parser("list", help="a year's weekdays off and weekend days worked, with their source")
    listing.add_argument("--year", type=int, required=True)
    target = listing.add_mutually_exclusive_group()
    target.add_argument("--unit", type=int, help="a unit's calendar (default: the root's)")
    target.add_argument("--branch", type=int, help="a branch's calendar (its own days included)")
    listing.set_defaults(func=cmd_list)


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.render import plain_text, render
    from bot.services import calendars

    try:
        content = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2

    async def work(svc):
        schedule = calendars.read_file(args.file.name, content)
        unit = await calendars.unit_for_command_line(svc, args.unit)
        shown = calendars.preview_params(await calendars.preview(svc, [unit.id], schedule))
        print(plain_text(render("calendars/preview.j2", **shown)))
        if not args.apply:
            print(plain_text(render("calendars/cli_apply_hint.j2")))
            return 0
        entered = await calendars.enter(svc, unit, schedule, None)
        print(plain_text(render("calendars/entered.j2", unit=unit.name, year=entered.year, changed=entered.changed,
                                told=entered.branches_told)))
        return 0

    try:
        return asyncio.run(with_services(settings, work))
    except UserError as refusal:
        print(plain_text(render(refusal.template, **refusal.params)), file=sys.stderr)
        return 2


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.render import plain_text, render
    from bot.services import calendars

    async def work(svc):
        return await calendars.exceptions(svc, args.year, unit_id=args.unit, branch_id=args.branch)

    try:
        days = asyncio.run(with_services(settings, work))
    except UserError as refusal:
        print(plain_text(render(refusal.template, **refusal.params)), file=sys.stderr)
        return 2
    for day, kind, source in days:
        print(f"{day.isoformat()} {calendars.KIND_WORDS[kind]} [{source or 'weekend'}]")
    return 0
