"""`zhibu import FILE.xlsx [--apply]`: the office's roster (units, branches, members); a preview first."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.services import with_services
from bot.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help="import a roster workbook (xlsx): preview, then --apply")
    parser.add_argument("file", type=Path, help="the workbook (.xlsx) with Chinese headers")
    parser.add_argument("--apply", action="store_true", help="carry out the import (without it: preview only)")
    parser.set_defaults(func=cmd_import)


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    from bot import uploads
    from bot.errors import UserError
    from bot.render import plain_text, render
    from bot.services import roster

    use_case = roster.apply if args.apply else roster.preview
    try:
        uploads.check_size(args.file.stat().st_size)  # the same limits as a file sent in chat, before reading it
        content = args.file.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except UserError as refusal:
        print(plain_text(render(refusal.template, **refusal.params)), file=sys.stderr)
        return 2
    try:
        plan = asyncio.run(with_services(settings, lambda svc: use_case(svc, content)))
    except UserError as refusal:
        print(plain_text(render(refusal.template, **refusal.params)), file=sys.stderr)
        return 2
    template = "roster/applied.j2" if args.apply else "roster/preview.j2"
    print(plain_text(render(template, cli=True, **roster.summary(plan))))
    return 0
