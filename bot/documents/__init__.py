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


def file_name(owner: str, book: str, period: str | int, extension: str) -> str:
    """One pattern for every exported file: <支部或单位>_<记录本>_<期间>.<ext>, e.g. 第一党支部_会议记录本_2026Q4.docx —
    the branch or unit first, so files from many branches sort by who keeps them and never collide at the county."""

    def safe(text: str) -> str:
        return "".join("-" if ch in _UNSAFE_IN_NAMES or ch == "_" or ord(ch) < 32 else ch for ch in text).strip()

    return f"{safe(owner) or '支部'}_{safe(book)}_{safe(str(period))}.{extension}"
