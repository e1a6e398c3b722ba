"""Writing cells of the XLSX registers: one helper every register uses.

Text is written as text, never as a formula. openpyxl stores any string starting with "=" as a formula, and a
spreadsheet evaluates it when the register is opened — so a theme, a talk topic or a name a member typed as
`=HYPERLINK(...)` or `=cmd|...` would run on the secretary's computer. Every string is therefore written with the
string type forced, and one that starts like a formula (= + - @, a tab or a carriage return: what spreadsheets
treat as the start of a formula when a cell is edited or a sheet is re-imported) also carries the quote prefix, the
cell flag behind a typed leading apostrophe: shown as typed, kept as text when edited. Characters XML cannot hold
(control characters) are dropped instead of failing the whole register.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str) -> str:
    """The text without the control characters an XLSX (or DOCX) file cannot hold."""
    return _NOT_IN_XML.sub("", text)


def put(cell: Any, value: Any) -> None:
    """One value into one cell: numbers as numbers, dates as dates, None as empty, anything else as text."""
    if value is None or isinstance(value, bool):
        cell.value = None if value is None else ("是" if value else "否")
    elif isinstance(value, (int, float, datetime, date)):
        cell.value = value
    else:
        text = clean(str(value))
        cell.value = text
        cell.data_type = "s"  # never "f" (formula) or "e" (an error code such as #N/A)
        if text.startswith(FORMULA_LEADS):
            cell.quotePrefix = True


def append(sheet: Any, values: Iterable[Any], gap: int = 0) -> int:
    """A row of values under the sheet's last row (`gap` empty rows between), each written by `put`; its number."""
    empty = sheet.max_row == 1 and sheet.max_column == 1 and sheet.cell(1, 1).value is None
    row = 1 if empty else sheet.max_row + 1 + gap
    for column, value in enumerate(values, start=1):
        put(sheet.cell(row=row, column=column), value)
    return row
