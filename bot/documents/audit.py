"""操作记录: a branch's audit log of a period as an XLSX sheet, in Chinese (the same words as /audit)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.documents.sheets import Column, Table, workbook

LABEL = "操作记录"


class Entry(Protocol):
    """One line of the audit log as /audit words it (services/audit_log.Line)."""

    at: datetime
    who: str
    what: str
    about: str
    note: str


COLUMNS = (Column("时间", 18, "datetime"), Column("操作人", 12), Column("操作", 20), Column("对象", 14),
           Column("说明", 36))


def rows(entries: Sequence[Entry], zone: ZoneInfo) -> list[list]:
    return [[e.at.astimezone(zone).replace(tzinfo=None), e.who, e.what, e.about, e.note] for e in entries]


def register(owner: str, period_label: str, entries: Sequence[Entry], zone: ZoneInfo) -> bytes:
    return workbook([Table(LABEL, f"{owner} {period_label} 操作记录", COLUMNS, rows(entries, zone),
                           subtitle=f"共 {len(entries)} 条")])
