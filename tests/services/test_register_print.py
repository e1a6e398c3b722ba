"""The Excel registers are set up to print and to compute: A4, scaled to the page width, landscape where wide, the
title and header rows repeated on each page, borders; amounts and counts as numbers, dates as dates; and only the
meetings already held counted."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import openpyxl
from openpyxl.utils import get_column_letter

from tests.services.books_sample import FUTURE, NOW, Words, seed

_BUILT: dict[str, dict[str, openpyxl.Workbook]] = {}  # by engine: the registers of the sample, built once a run


async def _registers(services) -> dict[str, openpyxl.Workbook]:
    """The 13 registers of the sample branch and its unit, as read back from their files. The tests here only read
    them, so they are built once per engine and test run: building them is most of these tests' time."""
    engine = type(services.db).__name__
    if engine not in _BUILT:
        _BUILT[engine] = await _build(services)
    return _BUILT[engine]


async def _build(services) -> dict[str, openpyxl.Workbook]:
    services.clock.set(NOW)
    sample = await seed(services)
    books = {}
    for exporter in services.features.exporters.values():
        file = await exporter.build(services, sample.branch_id, exporter.parse("2026"))
        if file.filename.endswith(".xlsx"):
            books[file.filename] = openpyxl.load_workbook(BytesIO(file.data))
    for exporter in services.features.unit_exporters.values():
        file = await exporter.export(services, sample.unit_id, exporter.parse("2026"), "2026")
        books[file.filename] = openpyxl.load_workbook(BytesIO(file.data))
    return books


def _header_row(sheet) -> int:
    """The last of the repeated rows: the column headers."""
    return int(sheet.print_title_rows.split(":")[1].lstrip("$"))


async def test_every_register_sheet_prints_on_a4_with_its_headers_on_each_page(services):
    """Every sheet of the 14 registers (the unit's 备案审阅登记 and 社区报到服务汇总 among them): A4, fit to one page
    wide (as many pages long as needed), the rows down to the header repeated, the title merged across the table above
    the header, every header and data cell boxed; the wide sheets (over 95 character widths) landscape, the narrow ones portrait."""
    books = await _registers(services)
    assert len(books) == 14 and any("备案审阅" in name for name in books)
    orientations = set()
    for name, book in books.items():
        for sheet in book.worksheets:
            setup = sheet.page_setup
            assert (int(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == (9, 1, 0), (name, sheet.title)
            assert sheet.sheet_properties.pageSetUpPr.fitToPage, (name, sheet.title)
            header = _header_row(sheet)
            assert sheet.print_title_rows == f"$1:${header}" and header >= 2, (name, sheet.title)
            assert f"A1:{get_column_letter(sheet.max_column)}1" in {str(r) for r in sheet.merged_cells}
            assert sheet.row_dimensions[1].height >= 30 and sheet.row_dimensions[header].height >= 20
            width = sum(sheet.column_dimensions[get_column_letter(i)].width for i in range(1, sheet.max_column + 1))
            assert setup.orientation == ("landscape" if width > 95 else "portrait"), (name, sheet.title, width)
            orientations.add(setup.orientation)
            for row in sheet.iter_rows(min_row=header, max_row=sheet.max_row):
                if row[0].value is None and sheet.cell(row[0].row, 2).value is None:
                    continue  # a note under the table
                if any(str(r).startswith(f"A{row[0].row}:") for r in sheet.merged_cells):
                    continue
                assert all(c.border.left.style == "thin" and c.border.bottom.style == "thin" for c in row), \
                    (name, sheet.title, row[0].row)
    assert orientations == {"landscape", "portrait"}


async def test_amounts_and_counts_are_numbers_and_dates_are_dates(services):
    """The dues register's standard, monthly amounts and totals are numbers that add up; the meetings' dates, the
    talks' days and the audit's times are dates."""
    books = await _registers(services)
    branch = Words().branch
    dues = books[f"{branch}_党费交纳登记表_2026.xlsx"]["党费登记"]
    header = _header_row(dues)
    first = [c.value for c in dues[header + 1]]
    assert first[0] == "王建国" and first[1] == 12.5 and first[2:12] == [12.5] * 10
    assert first[14] == 10 and first[15] == 125 and first[16] == 150  # 10 months received; 12 due by December
    assert all(isinstance(v, (int, float)) for v in (first[1], first[15], first[16]))
    assert dues.cell(header + 7, 8).number_format == '0.00"*"'  # 陈福生's June, paid by someone else
    meetings = books[f"{branch}_考勤登记表_2026.xlsx"]["活动一览"]
    assert isinstance(meetings.cell(_header_row(meetings) + 1, 1).value, datetime)
    talks = books[f"{branch}_谈心谈话记录_2026.xlsx"].worksheets[0]
    assert talks.cell(_header_row(talks) + 1, 2).value == datetime(2026, 3, 1)
    audit = books[f"{branch}_操作记录_2026.xlsx"].worksheets[0]
    assert isinstance(audit.cell(_header_row(audit) + 1, 1).value, datetime)


async def test_a_meeting_not_yet_held_is_not_counted(services):
    """The branch's assembly on 28 December is planned, not held, on 20 December: the register's 6 meetings and
    everyone's counts leave it out (it used to count everyone absent)."""
    books = await _registers(services)
    sheet = books[f"{Words().branch}_考勤登记表_2026.xlsx"]["考勤登记"]
    header = _header_row(sheet)
    headers = [c.value for c in sheet[header]]
    assert len(headers) == 1 + 6 + 3 and not any(f"{FUTURE[1]:%m月%d日}" in str(h) for h in headers)
    totals = {r[0].value: [c.value for c in r[-3:]] for r in sheet.iter_rows(min_row=header + 1) if r[1].value}
    assert totals["郑小燕"] == [0, 0, 4] and totals["王建国"] == [6, 0, 0]
    assert "已召开 6 次" in sheet["A2"].value and date(2026, 12, 20).strftime("%Y年%m月%d日") in sheet["A2"].value
