"""A unit's registers across the branches of its subtree in one Excel: a sheet per register, the branch in the
first column."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO

from bot.documents.sheets import append

BRANCH = "党支部"


def rollup(unit: str, code: str, branches: int, headers: Mapping[str, Sequence[str]],
           rows: Mapping[str, Sequence[Sequence]]) -> bytes:
    """`headers`: sheet title → the columns after 党支部; `rows`: sheet title → rows, each starting with its branch."""
    from openpyxl import Workbook  # imported here: heavy, and a running bot rarely exports
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, columns in headers.items():
        sheet = book.create_sheet(title)
        append(sheet, [f"{unit} {code} {title}（{branches} 个党支部）"])
        sheet["A1"].font = Font(bold=True, size=14)
        append(sheet, [BRANCH, *columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 18
        for row in rows.get(title, ()):
            append(sheet, list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
