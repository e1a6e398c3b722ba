"""A unit's registers across the branches of its subtree in one Excel: a sheet per register, the branch in the
first column, printed as the branch registers are (bot/documents/sheets.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.documents.sheets import Column, Table, workbook

BRANCH = Column("党支部", 18)


def rollup(unit: str, period_label: str, branches: int, columns: Mapping[str, Sequence[Column]],
           rows: Mapping[str, Sequence[Sequence]]) -> bytes:
    """`columns`: sheet title → the columns after 党支部; `rows`: sheet title → rows, each starting with its branch."""
    return workbook([Table(title, f"{unit} {period_label} {title}", [BRANCH, *found],
                           list(rows.get(title, ())), subtitle=f"所辖 {branches} 个党支部")
                     for title, found in columns.items()])
