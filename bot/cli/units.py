"""`zhibu unit create|list|officer add|officer remove`: the organisation tree (县委组织部 → 党委 / 党工委 / 党总支 → branches)
and its officers, from the shell."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli import inspectors, policy
from bot.cli.services import with_services
from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    unit = sub.add_parser("unit", help="the organisation tree: units and their officers")
    actions = unit.add_subparsers(dest="unit_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="create a unit (党委, 党工委, 党总支 …) under another")
    create.add_argument("--name", required=True, help="the unit's name, unique in the county, e.g. 城关镇党委")
    create.add_argument("--parent", default=None, help="the parent unit's name (default: the county's root)")
    create.add_argument("--kind", default="", help="党委, 党工委, 党总支 … as the office writes it")
    create.set_defaults(func=cmd_create)
    listing = actions.add_parser("list", help="the tree, with each unit's officers and branches")
    listing.set_defaults(func=cmd_list)
    officer = actions.add_parser("officer", help="officers of a unit")
    officer_actions = officer.add_subparsers(dest="officer_command", required=True, metavar="ACTION")
    add = officer_actions.add_parser("add", help="make a Telegram user an officer of a unit")
    add.add_argument("--unit", required=True, help="the unit's name or id")
    add.add_argument("--telegram-id", required=True, type=int, help="the officer's Telegram user id")
    add.add_argument("--name", default="", help="the officer's name, as shown in /units")
    add.set_defaults(func=cmd_officer_add)
    remove = officer_actions.add_parser("remove", help="a Telegram user is no longer an officer of a unit "
                                                       "(the unit's unused officer links are revoked too)")
    remove.add_argument("--unit", required=True, help="the unit's name or id")
    remove.add_argument("--telegram-id", required=True, type=int, help="the officer's Telegram user id")
    remove.set_defaults(func=cmd_officer_remove)
    inspectors.add_parsers(actions)
    policy.add_parsers(actions)


def cmd_create(settings: Settings, args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.services import units

    try:
        unit = asyncio.run(with_services(settings, lambda svc: units.create_unit(svc, args.name, args.parent,
                                                                                  args.kind)))
    except (ValueError, UserError) as exc:
        print(f"error: {exc if isinstance(exc, ValueError) else 'the name must be 1-40 characters'}", file=sys.stderr)
        return 2
    print(f"unit id: {unit.id}")
    print(f"name: {unit.name}")
    return 0


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import units
    from storage import units as store

    async def work(svc):
        lines = await units.tree_lines(svc)
        return [(depth, unit, count, await store.officers_of(svc.db, unit.id)) for depth, unit, count in lines]

    print(f"{'id':>5}  {'branches':>8}  officers  unit")
    for depth, unit, count, officers in asyncio.run(with_services(settings, work)):
        people = ",".join(str(o.telegram_id) for o in officers) or ("ZHIBU_ADMINS" if unit.is_root else "-")
        print(f"{unit.id:>5}  {count:>8}  {people:<8}  {'  ' * depth}{unit.name}")
    return 0


async def _unit(svc, named: str):
    """The unit a command names by id or name; ValueError for none (or an id beyond SQLite's integers)."""
    from bot.ids import parse_id
    from storage import units as store

    unit_id = parse_id(named)
    unit = await (store.get(svc.db, unit_id) if unit_id is not None else store.by_name(svc.db, named))
    if unit is None:
        raise ValueError(f"no unit {named!r}")
    return unit


def cmd_officer_add(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import units

    async def work(svc):
        unit = await _unit(svc, args.unit)
        return unit, await units.add_officer(svc, unit.id, args.telegram_id, args.name)

    try:
        unit, added = asyncio.run(with_services(settings, work))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.telegram_id} {'is now' if added else 'was already'} an officer of {unit.name} (unit {unit.id})")
    return 0


def cmd_officer_remove(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import units

    async def work(svc):
        unit = await _unit(svc, args.unit)
        return await units.remove_officer(svc, unit.id, args.telegram_id)

    try:
        done = asyncio.run(with_services(settings, work))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not done.removed:
        print(f"{args.telegram_id} was not an officer of {done.unit.name} (unit {done.unit.id}); "
              f"{done.revoked_links} unused officer link(s) revoked")
        return 0
    print(f"{args.telegram_id} is no longer an officer of {done.unit.name} (unit {done.unit.id}); "
          f"{done.revoked_links} unused officer link(s) revoked")
    return 0
