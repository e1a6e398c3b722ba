"""Record books as files (XLSX/DOCX), the same for the chat's /export, the CLI's `zhibu export` and filing.

An exporter reads what a book shows (through services and storage) and hands it to a builder in bot/documents,
which makes the bytes. A feature declares its exporters in its `Feature` (found in `svc.features.exporters`):
`Exporter(name, label, arg_help, parse, build)` (bot/features.py) where `parse(text) -> period` validates the argument ("2026",
"2026Q4") or raises ValueError with a Chinese message, and `build(svc, branch_id, period) -> ExportFile` renders
the file from the database.
"""

from __future__ import annotations


def parse_year(text: str) -> int:
    """The year of a yearly record book ('2026'); ValueError saying what is accepted."""
    text = text.strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise ValueError("请写 2000 到 2100 之间的四位年份，如 2026")
    return int(text)
