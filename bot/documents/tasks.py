"""A task's material (材料报送) as one ZIP: an Excel index (报送情况一览, one row per branch the task went to —
handed in or not — written cell by cell through bot/documents/sheets.py, so nothing anyone typed becomes a
formula), and a folder per branch that handed in: its text as 材料正文.txt and each photo and file under a safe name.
No path inside the archive comes from what people typed except through `safe`, which keeps every name one plain
path segment."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO

from bot.documents.sheets import Column, Table, clean, workbook

INDEX = "报送情况一览.xlsx"
TEXT = "材料正文.txt"
NAME_MAX = 80
_UNSAFE = '\\/:*?"<>|'

COLUMNS = (Column("序号", 6, "number"), Column("党支部", 18), Column("所属组织", 14), Column("状态", 12, "mark"),
           Column("提交人", 10), Column("提交时间", 18, "datetime"), Column("审核人", 10), Column("审核意见", 24),
           Column("材料正文", 40), Column("附件", 30))


@dataclass
class Entry:
    """One branch's line in the index, and what it handed in."""

    branch: str
    unit: str
    status: str  # 已通过, 待审核, 已退回修改, 未报送 …
    author: str = ""
    submitted_at: datetime | None = None  # naive local time (a spreadsheet's dates carry no zone)
    reviewer: str = ""
    comment: str = ""
    text: str = ""
    files: list[tuple[str, bytes | None]] = field(default_factory=list)  # (name, content; None: not fetched)


def safe(name: str, fallback: str) -> str:
    """One path segment: no separators, no control characters, no leading dots, not too long."""
    text = "".join("_" if ch in _UNSAFE or ord(ch) < 32 else ch for ch in clean(name or "")).strip().lstrip(".")
    text = text[-NAME_MAX:] if len(text) > NAME_MAX else text
    return text or fallback


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    base, suffix = (stem, f".{ext}") if dot and stem else (name, "")
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{base}（{number}）{suffix}", number + 1
    taken.add(candidate)
    return candidate


def _folder(index: int, entry: Entry) -> str:
    return f"{index:02d}_{safe(entry.branch, '党支部')}"


def index_sheet(title: str, unit: str, deadline: str, entries: Sequence[Entry]) -> bytes:
    rows = [[i, e.branch, e.unit, e.status, e.author, e.submitted_at, e.reviewer, e.comment, e.text,
             "、".join(name for name, _ in e.files) + ("（部分文件未能取回）" if any(d is None for _, d in e.files) else "")]
            for i, e in enumerate(entries, start=1)]
    handed = sum(1 for e in entries if e.author)
    return workbook([Table("报送情况", f"{title} 报送情况一览", COLUMNS, rows,
                           subtitle=f"{unit} · 截止 {deadline} · 共 {len(entries)} 个党支部，已报送 {handed} 个")])


def bundle(title: str, unit: str, deadline: str, entries: Sequence[Entry]) -> bytes:
    """The ZIP: the index first, then each branch's folder (text, photos, files)."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX, index_sheet(title, unit, deadline, entries))
        for number, entry in enumerate(entries, start=1):
            if not entry.author:
                continue
            folder, taken = _folder(number, entry), {TEXT}
            if entry.text:
                archive.writestr(f"{folder}/{TEXT}", clean(entry.text).encode("utf-8"))
            for position, (name, data) in enumerate(entry.files, start=1):
                if data is not None:
                    archive.writestr(f"{folder}/{_unique(safe(name, f'附件{position}'), taken)}", data)
    return out.getvalue()
