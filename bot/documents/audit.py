"""操作记录: a branch's audit log of a period as an XLSX sheet, in Chinese (the same words as /audit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.documents.sheets import append

LABEL = "操作记录"
HEADERS = ["时间", "操作人", "操作", "对象", "说明"]


class Entry(Protocol):
    """One line of the audit log as /audit words it (services/audit_log.Line)."""

    at: datetime
    who: str
    what: str
    about: str
    note: str


def rows(entries: Sequence[Entry], zone: ZoneInfo) -> list[list]:
    return [[f"{e.at.astimezone(zone):%Y-%m-%d %H:%M}", e.who, e.what, e.about, e.note] for e in entries]


def register(owner: str, period_label: str, entries: Sequence[Entry], zone: ZoneInfo) -> bytes:
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = LABEL
    append(sheet, [f"{owner} {period_label} 操作记录"])
    sheet["A1"].font = Font(bold=True, size=14)
    append(sheet, HEADERS)
    for row in rows(entries, zone):
        append(sheet, row)
    for letter, width in zip("ABCDE", (18, 12, 24, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
