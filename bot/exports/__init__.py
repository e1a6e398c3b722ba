"""Record books as files (XLSX/DOCX), the same for the chat's /export and the CLI's `zhibu export`.

A feature declares its exporters in its `Feature` (found in `svc.features.exporters`):
`Exporter(name, label, arg_help, parse, build)` where `parse(text) -> period` validates the argument ("2026",
"2026Q4") or raises ValueError with a Chinese message, and `build(svc, branch_id, period) -> ExportFile` renders
the file from the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.services import Services


@dataclass(frozen=True)
class ExportFile:
    filename: str
    data: bytes
    mime_type: str


@dataclass(frozen=True)
class Exporter:
    name: str  # the word after /export: attendance, minutes, evaluation
    label: str  # 考勤登记表 …
    arg_help: str  # e.g. "年份，如 2026"
    parse: Callable[[str], Any]
    build: Callable[[Services, int, Any], Awaitable[ExportFile]]
    # Files with members' private writing (self-evaluations) go to the secretary and deputy only, not to
    # every committee member.
    approvers_only: bool = False
    aliases: tuple[str, ...] = ()  # Chinese names accepted after /export: 考勤, 会议记录 …
    by_quarter: bool = False  # the period buttons offer quarters too (the minutes book)

    def answers_to(self, word: str) -> bool:
        """/export 考勤 or /export attendance: the typed name, or one of its Chinese names."""
        return word.strip().lower() == self.name or word.strip() in (self.label, *self.aliases)


def parse_year(text: str) -> int:
    """The year of a yearly record book ('2026'); ValueError saying what is accepted."""
    text = text.strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise ValueError("请写 2000 到 2100 之间的四位年份，如 2026")
    return int(text)


def file_name(branch_name: str, label: str, period_code: str | int, extension: str) -> str:
    """One pattern for every record book: 第一党支部-会议记录本-2026Q4.docx (branch, book, period)."""
    safe = "".join("_" if ch in '\\/:*?"<>|' else ch for ch in branch_name).strip() or "支部"
    return f"{safe}-{label}-{period_code}.{extension}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
