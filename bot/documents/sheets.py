"""The XLSX registers: one way to write a cell, and one printed layout, that every register uses.

Text is written as text, never as a formula. openpyxl stores any string starting with "=" as a formula, and a
spreadsheet evaluates it when the register is opened — so a theme, a talk topic or a name a member typed as
`=HYPERLINK(...)` or `=cmd|...` would run on the secretary's computer. Every string is therefore written with the
string type forced, and one that starts like a formula (= + - @, a tab or a carriage return: what spreadsheets
treat as the start of a formula when a cell is edited or a sheet is re-imported) also carries the quote prefix, the
cell flag behind a typed leading apostrophe: shown as typed, kept as text when edited. Characters XML cannot hold
(control characters) are dropped instead of failing the whole register.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
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


# --- the printed register -----------------------------------------------------------------------------------------
# Every register is one or more tables laid out to be printed and filed as it comes out: A4, landscape where the
# columns are wide, scaled to the page's width, the title and header rows repeated on every page, thin borders,
# page numbers in the footer. Row heights are set from the text they wrap, so the header never runs into the title
# and no spreadsheet has to guess.

FONT = "宋体"
BODY_PT, TITLE_PT = 11, 16
PORTRAIT_WIDTH = 95  # the columns (in character widths) an A4 portrait page takes at 100 % within the margins
LINE_PT = 15  # one line of 11 pt text
SUMMED = ("number", "money")
NUMBER_FORMATS = {"number": "0", "money": "0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in character widths (a Chinese character takes two)
    kind: str = "text"  # text | mark (short, centred) | number | money | date | datetime


@dataclass
class Table:
    sheet: str  # the sheet's tab
    title: str  # printed above the table, on every page
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    subtitle: str = ""  # a line under the title (the period, who keeps the book)
    notes: Sequence[str] = ()  # lines under the table (a legend)
    group_headers: Sequence[tuple[str, int]] = ()  # a header row above the columns: (text, columns it spans)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row index, column index) → number format


def display_width(text: str) -> float:
    """How many character widths a text takes: 1.8 for a Chinese character (a little under two at 11 pt), one for
    the rest."""
    return sum(1.8 if ord(ch) > 0x2E7F else 1 for ch in text)


def lines_needed(value: Any, width: float) -> int:
    if value is None or isinstance(value, (int, float, datetime, date)):
        return 1
    return sum(max(1, math.ceil(display_width(part) / max(width - 1, 1))) for part in str(value).split("\n"))


def workbook(tables: Sequence[Table]) -> bytes:
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        _lay_out(book.create_sheet(clean(table.sheet)[:31] or "Sheet"), table)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _lay_out(sheet: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    last = len(table.columns)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=FONT, size=BODY_PT)
    bold = Font(name=FONT, size=BODY_PT, bold=True)
    total = sum(c.width for c in table.columns)

    def banner(row: int, text: str, font: Any, align: str, height: float) -> None:
        put(sheet.cell(row=row, column=1), text)
        sheet.cell(row=row, column=1).font = font
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if last > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        sheet.row_dimensions[row].height = height

    row = 1
    banner(row, table.title, Font(name=FONT, size=TITLE_PT, bold=True), "center", 30)
    if table.subtitle:
        row += 1
        banner(row, table.subtitle, body, "left", LINE_PT + 5)
    if table.group_headers:
        row += 1
        column = 1
        for text, span in table.group_headers:
            put(sheet.cell(row=row, column=column), text)
            for offset in range(span):
                cell = sheet.cell(row=row, column=column + offset)
                cell.font, cell.border = bold, box
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if span > 1:
                sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=column + span - 1)
            column += span
        sheet.row_dimensions[row].height = LINE_PT + 5
    row += 1
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=index)
        put(cell, column.header)
        cell.font, cell.border = bold, box
        cell.fill = PatternFill("solid", fgColor="EDEDED")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[row].height = 5 + LINE_PT * max(lines_needed(c.header, c.width) for c in table.columns)
    header_bottom = row
    for row_index, values in enumerate(table.rows):
        row += 1
        for index, (column, value) in enumerate(zip(table.columns, values, strict=False), start=1):
            cell = sheet.cell(row=row, column=index)
            put(cell, value)
            cell.font, cell.border = body, box
            numeric = column.kind in NUMBER_FORMATS and not isinstance(value, str)
            # Text from the left (a little in from the border), amounts and counts from the right, the rest (marks,
            # dates) centred. No indent on the right: LibreOffice applies it to some cells and not others.
            across = "left" if column.kind == "text" else "right" if numeric and column.kind in SUMMED else "center"
            cell.alignment = Alignment(horizontal=across, vertical="center", wrap_text=True,
                                       indent=1 if across == "left" else 0)
            if numeric:
                cell.number_format = NUMBER_FORMATS[column.kind]
            if (row_index, index - 1) in table.formats:
                cell.number_format = table.formats[(row_index, index - 1)]
        sheet.row_dimensions[row].height = 4 + LINE_PT * max(
            (lines_needed(v, c.width) for c, v in zip(table.columns, values, strict=False)), default=1)
    if not table.rows:
        row += 1
        banner(row, "（本期暂无记录）", body, "center", LINE_PT + 5)
    for note in table.notes:
        row += 1
        banner(row, note, body, "left", 4 + LINE_PT * lines_needed(note, total))
    sheet.freeze_panes = sheet.cell(row=header_bottom + 1, column=1)
    sheet.print_title_rows = f"1:{header_bottom}"
    sheet.print_area = f"A1:{get_column_letter(last)}{row}"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if total > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # as wide as the page, as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.6, right=0.6, top=0.7, bottom=0.7, header=0.3, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
