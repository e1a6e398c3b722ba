"""`zhibu unit inspector add|remove|list`: a unit's inspectors (巡查), read-only people of its subtree."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.services import with_services
from bot.settings import Settings


def add_parsers(actions: argparse._SubParsersAction) -> None:
    """Under `zhibu unit`."""
    inspector = actions.add_parser("inspector", help="inspectors (巡查) of a unit: read everything, change nothing")
    steps = inspector.add_subparsers(dest="inspector_command", required=True, metavar="ACTION")
    add = steps.add_parser("add", help="make a Telegram user an inspector of a unit's subtree")
    add.add_argument("--unit", required=True, help="the unit's name or id")
    add.add_argument("--telegram-id", required=True, type=int, help="the inspector's Telegram user id")
    add.add_argument("--name", default="", help="the inspector's name, as shown in /units")
    add.set_defaults(func=cmd_add)
    remove = steps.add_parser("remove", help="a Telegram user is no longer an inspector of a unit")
    remove.add_argument("--unit", required=True, help="the unit's name or id")
    remove.add_argument("--telegram-id", required=True, type=int, help="the inspector's Telegram user id")
    remove.set_defaults(func=cmd_remove)
    listing = steps.add_parser("list", help="a unit's inspectors")
    listing.add_argument("--unit", required=True, help="the unit's name or id")
    listing.set_defaults(func=cmd_list)


async def named_unit(svc, named: str):
    """The unit a command names by id or name; ValueError for none."""
    from bot.ids import parse_id
    from storage import units as store

    number = parse_id(named)
    unit = await (store.get(svc.db, number) if number is not None else store.by_name(svc.db, named.strip()))
    if unit is None:
        raise ValueError(f"no unit {named!r}")
    return unit


def _run(settings: Settings, work) -> tuple[bool, object]:
    from bot.errors import UserError

    try:
        return True, asyncio.run(with_services(settings, work))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except UserError:
        print("error: a Telegram id is a positive number of at most 15 digits", file=sys.stderr)
    return False, None


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import inspectors

    async def work(svc):
        unit = await named_unit(svc, args.unit)
        return unit, await inspectors.add(svc, unit.id, args.telegram_id, args.name)

    ok, result = _run(settings, work)
    if not ok:
        return 2
    unit, added = result
    print(f"{args.telegram_id} {'is now' if added else 'was already'} an inspector of {unit.name} (unit {unit.id})")
    return 0


def cmd_remove(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import inspectors

    async def work(svc):
        unit = await named_unit(svc, args.unit)
        return unit, await inspectors.remove(svc, unit.id, args.telegram_id)

    ok, result = _run(settings, work)
    if not ok:
        return 2
    unit, removed = result
    print(f"{args.telegram_id} {'is no longer' if removed else 'was not'} an inspector of {unit.name} (unit {unit.id})")
    return 0


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    from bot.domain import dates
    from storage import inspectors as store

    async def work(svc):
        unit = await named_unit(svc, args.unit)
        return unit, await store.of_unit(svc.db, unit.id)

    ok, result = _run(settings, work)
    if not ok:
        return 2
    unit, found = result
    print(f"inspectors of {unit.name} (unit {unit.id}): {len(found)}")
    for one in found:
        print(f"{one.telegram_id:>15}  {one.name or '-'}  added {dates.stamp(one.added_at, settings.tz)}")
    return 0
