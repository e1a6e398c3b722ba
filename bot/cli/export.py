"""`zhibu export NAME --branch ID --period P [--out FILE]`: the same files as /export, from the shell."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bot.catalog import core_registry
from bot.cli.services import with_services
from bot.errors import UserError
from bot.render import plain_text, render
from bot.settings import Settings
from storage.sqlite import PRIVATE_FILE


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="export a record book (XLSX/DOCX) for a branch, or a unit's registers")
    names = sorted(core_registry().exporters)
    parser.add_argument("name", help="what to export: " + ", ".join(names) if names else "what to export")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--branch", type=int, help="branch id (see `zhibu branch list`)")
    target.add_argument("--unit", type=int, help="unit id (see `zhibu unit list`): one Excel over all its branches, "
                        "for " + ", ".join(sorted(core_registry().unit_exporters)))
    parser.add_argument("--period", "--year", dest="period", help="e.g. 2026 or 2026Q4 (not for tasks)")
    parser.add_argument("--task", type=int, help="`tasks --unit ID --task ID`: all a task's material as one ZIP "
                        "with an Excel index")
    parser.add_argument("--out", type=Path, default=None, help="output file (default: the file's own name)")
    parser.set_defaults(func=run)


def run(settings: Settings, args: argparse.Namespace) -> int:
    from storage import branches

    if args.name == "tasks":
        return run_task(settings, args)
    if args.period is None:
        print("error: --period is required (e.g. 2026 or 2026Q4)", file=sys.stderr)
        return 2
    if args.unit is not None:
        return run_unit(settings, args)
    available = core_registry().exporters
    # The English name or a Chinese one (考勤, 会议记录 …), as /export takes them.
    exporter = next((e for e in available.values() if e.answers_to(args.name)), None)
    if exporter is None:
        print(f"error: unknown export {args.name!r}; choose from {', '.join(sorted(available))}", file=sys.stderr)
        return 2
    period = _period(exporter, args.period)
    if period is None:
        return 2

    async def work(svc):
        if await branches.get(svc.db, args.branch) is None:
            return None
        return await exporter.build(svc, args.branch, period)

    try:
        file = asyncio.run(with_services(settings, work))
    except UserError as refusal:
        # The same polite answer the chat gives, as one line of plain text.
        print("error: " + plain_text(render(refusal.template, **refusal.params)), file=sys.stderr)
        return 1
    if file is None:
        print(f"error: --branch: no branch {args.branch}", file=sys.stderr)
        return 2
    return _write(file, args.out)


def run_unit(settings: Settings, args: argparse.Namespace) -> int:
    """`--unit`: the unit's registers across every branch of its subtree, in one Excel."""
    from storage import units

    available = core_registry().unit_exporters
    exporter = available.get(args.name)
    if exporter is None:
        print(f"error: no unit-wide export {args.name!r}; choose from {', '.join(sorted(available))}",
              file=sys.stderr)
        return 2
    period = _period(exporter, args.period)
    if period is None:
        return 2

    async def work(svc):
        if await units.get(svc.db, args.unit) is None:
            return None
        return await exporter.export(svc, args.unit, period, args.period.strip())

    file = asyncio.run(with_services(settings, work))
    if file is None:
        print(f"error: --unit: no unit {args.unit}", file=sys.stderr)
        return 2
    return _write(file, args.out)


def run_task(settings: Settings, args: argparse.Namespace) -> int:
    """`tasks --unit ID --task ID`: what the branches handed in for a task of the unit (or a unit under it)."""
    from bot.exports import tasks

    if args.unit is None or args.task is None:
        print("error: tasks needs --unit ID and --task ID", file=sys.stderr)
        return 2

    async def work(svc):
        try:
            return await tasks.export(svc, args.unit, args.task)
        except tasks.NotFound:
            return None

    file = asyncio.run(with_services(settings, work))
    if file is None:
        print(f"error: --task: no task {args.task} issued by unit {args.unit} or a unit under it", file=sys.stderr)
        return 2
    return _write(file, args.out)


def _period(exporter, text: str):  # noqa: ANN202  (each exporter's own period type)
    """The exporter's period, or None after saying in one line why the text is not one."""
    try:
        return exporter.parse(text)
    except ValueError as exc:
        print(f"error: --period: {exc}", file=sys.stderr)
        return None


def _write(file, out: Path | None) -> int:
    """The book is written readable by its owner only (0600, as the database is): it holds names, attendance and
    evaluations, and a shared server's other accounts have no business reading it."""
    out = out or Path(file.filename)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.fchmod(descriptor, PRIVATE_FILE)  # an existing file keeps its old mode through O_CREAT
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(file.data)
    print(f"wrote {out} ({len(file.data)} bytes)")
    return 0
