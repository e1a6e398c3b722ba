"""`zhibu unit policy --unit ID [--cadence life=half] [--theme-due-day 5] …` sets a unit's policy for its subtree
(only values at least as strict as the units above rule); `zhibu unit policy show --unit ID` prints each setting
in force with the unit it comes from."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.inspectors import named_unit
from bot.cli.services import with_services
from bot.settings import Settings

KINDS = ("assembly", "committee", "group", "lecture", "life", "study")
SIMPLE = {"theme_week": "theme_week", "theme_due_day": "theme_due_day", "minutes_days": "minutes_working_days",
          "holiday_move": "theme_holiday_move", "checkin": "checkin", "excellent_pct": "excellent_pct",
          "review_days": "review_days"}


def add_parsers(actions: argparse._SubParsersAction) -> None:
    """Under `zhibu unit`."""
    parser = actions.add_parser("policy", help="a unit's policy for its subtree: set it, or `show` it")
    parser.add_argument("show", nargs="?", choices=["show"], help="print each setting in force and its source")
    parser.add_argument("--unit", required=True, help="the unit's name or id")
    parser.add_argument("--cadence", action="append", default=[], metavar="KIND=PER[:TIMES]",
                        help="e.g. life=half, group=month:2, lecture=none; KIND: " + "|".join(KINDS)
                             + ", PER: week|fortnight|month|quarter|half|year")
    parser.add_argument("--theme-week", choices=["first", "full"],
                        help="每月第一周: the first such weekday (first) or that of the first full week (full)")
    parser.add_argument("--theme-due-day", metavar="DAY|none", help="the month's theme fixed by this day")
    parser.add_argument("--minutes-days", metavar="N", help="working days to hand in a meeting's minutes")
    parser.add_argument("--holiday-move", choices=["next_workday", "previous_workday", "keep"],
                        help="a theme day on a public holiday")
    parser.add_argument("--checkin", choices=["none", "location"], help="location: every theme day needs a venue to check in at")
    parser.add_argument("--excellent-pct", metavar="PCT", help="the largest share of 优秀 in the evaluation")
    parser.add_argument("--review-days", metavar="N", help="working days to review what branches file")
    parser.add_argument("--follow", action="append", default=[], metavar="SETTING",
                        help="give a setting back to the units above (cadence_life, theme_due_day …)")
    parser.set_defaults(func=cmd_policy)


def cadence_code(text: str) -> tuple[str, str]:
    """'life=half' → ('cadence_life', 'half_1'); ValueError naming what is wrong."""
    kind, _, rest = text.partition("=")
    per, _, times = rest.replace("_", ":").partition(":")
    if kind not in KINDS:
        raise ValueError(f"--cadence {text}: KIND is one of {', '.join(KINDS)}")
    if per == "none":
        return f"cadence_{kind}", "none_0"
    if not times.isdigit() and times:
        raise ValueError(f"--cadence {text}: TIMES is a number")
    return f"cadence_{kind}", f"{per}_{times or 1}"


def wanted(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """(setting, code or None to follow) for every change the command line asks for, in order."""
    found: list[tuple[str, str | None]] = [cadence_code(text) for text in args.cadence]
    for option, field in SIMPLE.items():
        value = getattr(args, option)
        if value is not None:
            found.append((field, "0" if field == "theme_due_day" and value == "none" else str(value)))
    return found + [(field, None) for field in args.follow]


def cmd_policy(settings: Settings, args: argparse.Namespace) -> int:
    from bot.errors import UserError
    from bot.render import plain_text, render

    try:
        changes = wanted(args)
        lines = asyncio.run(with_services(settings, lambda svc: _apply_and_show(svc, args.unit, changes)))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except UserError as exc:
        print(f"error: {plain_text(render(exc.template, **exc.params)).strip()}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


async def _apply_and_show(svc, named: str, changes: list[tuple[str, str | None]]) -> list[str]:
    from bot.domain import policy as rules
    from bot.services import policy, unit_policy

    unit = await named_unit(svc, named)
    above = await policy.above_rulings(svc.db, unit)
    for field, code in changes:  # every change checked before any is written: all of them, or none
        if field not in rules.FIELDS or (code is not None and not rules.valid(field, code)):
            raise ValueError(f"{field}: not a setting, or {code!r} is not one of its values "
                             f"({', '.join(rules.choices(field)) or 'see --help'})")
        if code is not None and code not in rules.unit_offer(field, above):
            await unit_policy.change(svc, None, unit.id, field, code)  # refused, saying whose rule it is
    done = [await unit_policy.change(svc, None, unit.id, field, code) for field, code in changes]
    card = await unit_policy.card_for(svc, unit)
    lines = [f"{c.name}: {c.was} -> {c.now}" for c in done]
    lines.append(f"policy of {unit.name} (unit {unit.id}):")
    for line in card.lines:
        own = f"  [its own: {line.own}, gives way to the stricter rule above]" if line.overridden else ""
        source = f"{line.source} (default)" if line.default else line.source
        lines.append(f"  {line.field:<22} {line.name}：{line.value}  <- {source}{own}")
    return lines
