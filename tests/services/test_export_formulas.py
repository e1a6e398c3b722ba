"""No export holds a formula from user input: text that starts like a formula (= + - @, a tab, a carriage return)
typed into a theme, a place, a talk topic, an evaluation remark, a return reason, a 代缴 name, minutes fields, or
a unit's and a branch's name in a roster comes out of every workbook as text."""

from __future__ import annotations

from io import BytesIO

import openpyxl

from bot.documents.sheets import FORMULA_LEADS
from tests.services.books_sample import NOW, Words, seed

HOSTILE = Words(
    unit='=HYPERLINK("http://x.invalid","点此")',
    branch="+第一党支部",
    theme="=cmd|' /C calc'!A0",
    place="@SUM(1+1)*cmd|' /C calc'!A0",
    topic="-2+3+cmd|' /C calc'!A0",
    remark="\t=1+1 长期不参加组织生活",
    reason="\r=1+1 请补充",
    paid_by="=1+1",
    host="+王建国",
    recorder="-周敏",
)
TYPED = {HOSTILE.unit, HOSTILE.branch, HOSTILE.theme, HOSTILE.place, HOSTILE.topic, HOSTILE.remark, HOSTILE.reason,
         HOSTILE.host, HOSTILE.recorder}


def cells(data: bytes):
    book = openpyxl.load_workbook(BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


async def test_no_workbook_holds_a_formula_from_what_people_typed(services):
    """Every branch register and every unit register of the sample, filled with formula-like text: no cell is a
    formula, and each typed text is found as it was typed, in a cell of string type (the risky ones flagged with
    the quote prefix)."""
    services.clock.set(NOW)
    sample = await seed(services, HOSTILE)
    found: set[str] = set()
    made = []
    for exporter in services.features.exporters.values():
        file = await exporter.build(services, sample.branch_id, exporter.parse("2026"))
        made.append(file.filename)
        if file.filename.endswith(".xlsx"):
            for cell in cells(file.data):
                assert cell.data_type != "f", (file.filename, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
                    assert cell.data_type == "s" and cell.quotePrefix, (file.filename, cell.coordinate)
                found |= {t for t in TYPED if isinstance(cell.value, str) and t in cell.value}
    for exporter in services.features.unit_exporters.values():
        file = await exporter.export(services, sample.unit_id, exporter.parse("2026"), "2026")
        made.append(file.filename)
        for cell in cells(file.data):
            assert cell.data_type != "f", (file.filename, cell.coordinate, cell.value)
            found |= {t for t in TYPED if isinstance(cell.value, str) and t in cell.value}
    assert sum(name.endswith(".xlsx") for name in made) >= 10
    assert found == TYPED  # the check above saw every typed text (it cannot pass by finding nothing)
