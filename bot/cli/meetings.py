"""`zhibu meetings rules --branch ID [...]`: a branch's 三会一课 settings — the minutes deadline in working days,
the required cadences (defaults from DOMAIN.md), public holidays and swapped working weekends."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date

from bot.cli.services import with_services
from bot.domain.cadence import PER_LABELS, Cadence
from bot.domain.meetings import KIND_LABELS, MeetingKind
from bot.domain.minutes import MeetingRules
from bot.settings import Settings

KINDS = {"assembly": MeetingKind.ASSEMBLY, "committee": MeetingKind.COMMITTEE, "group": MeetingKind.GROUP,
         "lecture": MeetingKind.LECTURE, "life": MeetingKind.LIFE,
         "study": MeetingKind.STUDY}


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("meetings", help="三会一课 settings of a branch")
    inner = parser.add_subparsers(dest="action", required=True)
    rules = inner.add_parser("rules", help="show or change the minutes deadline, cadences and holidays")
    rules.add_argument("--branch", required=True, type=int, help="branch id (see `zhibu branch list`)")
    rules.add_argument("--minutes-days", type=int, help="working days after a meeting to hand in its minutes")
    rules.add_argument("--cadence", action="append", default=[], metavar="KIND=PER[:TIMES]",
                       help="e.g. lecture=quarter, group=month:2, committee=month:0 (not required); "
                            "KIND: assembly|committee|group|lecture|life|study, PER: week|fortnight|month|quarter|half|year")
    rules.add_argument("--holiday", action="append", default=[], type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="a public holiday on a weekday (repeatable)")
    rules.add_argument("--workday", action="append", default=[], type=date.fromisoformat, metavar="YYYY-MM-DD",
                       help="a weekend day worked instead (调休, repeatable)")
    rules.set_defaults(func=run)


def apply(rules: MeetingRules, minutes_days: int | None, cadences: list[str], holidays: list[date],
          workdays: list[date]) -> MeetingRules:
    """The rules with the command line's changes; ValueError naming what is wrong."""
    data = rules.model_dump()
    if minutes_days is not None:
        data["minutes_working_days"] = minutes_days
    for text in cadences:
        kind_text, _, rest = text.partition("=")
        per, _, times = rest.partition(":")
        if kind_text not in KINDS:
            raise ValueError(f"--cadence: unknown meeting kind {kind_text!r}")
        try:
            cadence = Cadence(per=per, times=int(times) if times else 1)
        except ValueError:
            raise ValueError(f"--cadence {text}: PER is week|fortnight|month|quarter|half|year, TIMES 0–10") from None
        data["cadences"][KINDS[kind_text]] = cadence.model_dump()
    data["holidays"] = sorted(set(rules.holidays) | set(holidays))
    data["workdays"] = sorted(set(rules.workdays) | set(workdays))
    try:
        return MeetingRules.model_validate(data)
    except ValueError:
        raise ValueError("--minutes-days: 1–15 working days") from None


def describe(rules: MeetingRules) -> str:
    lines = [f"minutes due: {rules.minutes_working_days} working days after the meeting"]
    for kind, cadence in rules.cadences.items():
        required = f"{PER_LABELS[cadence.per]} {cadence.times} 次" if cadence.times else "不要求"
        lines.append(f"{KIND_LABELS[kind]}: {required}")
    if rules.holidays:
        lines.append("holidays: " + ", ".join(d.isoformat() for d in rules.holidays))
    if rules.workdays:
        lines.append("working weekends: " + ", ".join(d.isoformat() for d in rules.workdays))
    return "\n".join(lines)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import meeting_rules

    def edit(rules: MeetingRules) -> MeetingRules:
        return apply(rules, args.minutes_days, args.cadence, args.holiday, args.workday)

    async def work(svc) -> MeetingRules | str:
        try:
            return await meeting_rules.change(svc, args.branch, edit)
        except meeting_rules.NoSuchBranch:
            return f"--branch: no branch {args.branch}"
        except ValueError as exc:
            return str(exc).splitlines()[0]

    result = asyncio.run(with_services(settings, work))
    if isinstance(result, str):
        print(f"error: {result}", file=sys.stderr)
        return 2
    print(describe(result))
    return 0
