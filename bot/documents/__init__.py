"""Documents: the record books as bytes (XLSX registers, DOCX books) from data already read.

A builder here takes domain values and plain data and returns the file's bytes; it reads no database, calls no
use case and knows no chat. The exporters in bot/exports read the data (through services and storage) and call
these builders, so filing, the chat's /export and `zhibu export` make the very same files. openpyxl and
python-docx are heavy and a running bot rarely exports: they are imported inside the builders, when a file is made.
"""

from __future__ import annotations

from dataclasses import dataclass

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE_IN_NAMES = '\\/:*?"<>|'


@dataclass(frozen=True)
class ExportFile:
    filename: str
    data: bytes
    mime_type: str


def file_name(branch_name: str, label: str, period_code: str | int, extension: str) -> str:
    """One pattern for every record book: 第一党支部-会议记录本-2026Q4.docx (branch, book, period)."""
    safe = "".join("_" if ch in _UNSAFE_IN_NAMES else ch for ch in branch_name).strip() or "支部"
    return f"{safe}-{label}-{period_code}.{extension}"
