"""Record books as files (XLSX/DOCX), the same for the chat's /export, the CLI's `zhibu export` and filing.

An exporter reads what a book shows (through services and storage) and hands it to a builder in bot/documents,
which makes the bytes. A feature declares its exporters in its `Feature` (found in `svc.features.exporters`):
`Exporter(name, label, arg_help, parse, build)` where `parse(text) -> period` validates the argument ("2026",
"2026Q4") or raises ValueError with a Chinese message, and `build(svc, branch_id, period) -> ExportFile` renders
the file from the database.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.documents import ExportFile
from bot.services import Services


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
