"""The upload guard: a workbook beyond a limit, or carrying a DTD, is refused naming the limit; a roster within
the limits passes and is read."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot import uploads
from bot.bench.roster import county_rows, workbook
from bot.errors import UserError
from bot.render import plain_text, render
from bot.services import roster

SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
       '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
       '<c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
          + ']>\n<worksheet><sheetData><row><c t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>')


def roster_file() -> bytes:
    return workbook(*county_rows(1, 2, 10))


def with_part(content: bytes, name: str, data: bytes | str) -> bytes:
    """The workbook with one part replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item))
        target.writestr(name, data.encode() if isinstance(data, str) else data)
    return out.getvalue()


def sheet(rows: str) -> str:
    return f"{SHEET_HEAD}<sheetData>{rows}</sheetData></worksheet>"


def refusal(content: bytes, limits: uploads.Limits = uploads.WORKBOOK) -> tuple[str, str]:
    with pytest.raises(UserError) as caught:
        uploads.check_xlsx(content, limits)
    return caught.value.params["reason"], plain_text(render(caught.value.template, **caught.value.params))


def test_a_roster_within_the_limits_passes():
    """A county-style roster goes through the guard untouched."""
    uploads.check_xlsx(roster_file())


def test_a_huge_cell_is_refused_naming_the_limit():
    """Two million characters in one cell: refused as a cell over 1,000 characters, with its row."""
    content = with_part(roster_file(), "xl/worksheets/sheet2.xml",
                        sheet('<row r="3"><c r="B3" t="inlineStr"><is><t>' + "名" * 2_000_000 + "</t></is></c></row>"))
    reason, text = refusal(content)
    assert reason == "cell" and "每格最多 1000 个字" in text and "第 3 行" in text


def test_a_long_cell_in_the_shared_strings_is_refused():
    """The same in the shared-strings table, where Excel keeps text (a rich-text cell's runs count together)."""
    runs = "".join(f"<r><t>{'字' * 600}</t></r>" for _ in range(2))
    content = with_part(roster_file(), "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst><si>{runs}</si></sst>')
    assert refusal(content)[0] == "cell"


@pytest.mark.parametrize("part", [XXE, LAUGHS])
def test_entities_and_dtds_are_refused_unresolved(part):
    """An external entity or a billion laughs: refused at the DTD, nothing resolved or expanded."""
    reason, text = refusal(with_part(roster_file(), "xl/worksheets/sheet2.xml", part))
    assert reason == "dtd" and "DTD" in text and "passwd" not in text


def test_broken_xml_and_a_non_zip_are_unreadable():
    """Broken XML and bytes that are no .xlsx are refused politely, not raised."""
    assert refusal(with_part(roster_file(), "xl/worksheets/sheet2.xml", "<worksheet><sheetData><row>"))[0] == \
        "unreadable"
    assert refusal(b"%PDF-1.4 not a workbook")[0] == "unreadable"


def test_rows_columns_and_dimensions_are_bounded():
    """Too many rows, a cell far to the right, or a dimension claiming a million rows: each refused by name."""
    limits = uploads.Limits(max_rows=5, max_columns=10)
    many = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 8))
    assert refusal(with_part(roster_file(), "xl/worksheets/sheet2.xml", sheet(many)), limits)[0] == "rows"
    wide = '<row r="1"><c r="XFD1"><v>1</v></c></row>'
    reason, text = refusal(with_part(roster_file(), "xl/worksheets/sheet2.xml", sheet(wide)))
    assert reason == "columns" and "最多 100 列" in text
    claimed = f'{SHEET_HEAD}<dimension ref="A1:B1048576"/><sheetData/></worksheet>'
    assert refusal(with_part(roster_file(), "xl/worksheets/sheet2.xml", claimed))[0] == "rows"


def test_size_and_unpacked_size_are_bounded():
    """A file over 10 MB, or one that unpacks past its limit (a zip bomb), is refused before it is parsed."""
    with pytest.raises(UserError) as caught:
        uploads.check_size(11 * 1024 * 1024)
    assert "最多 10 MB" in plain_text(render(caught.value.template, **caught.value.params))
    bomb = with_part(roster_file(), "xl/media/zeros.xml", b" " * (3 * 1024 * 1024))
    assert refusal(bomb, uploads.Limits(max_unpacked=2 * 1024 * 1024))[0] == "unpacked"


async def test_reading_runs_against_the_time_limit():
    """A file that takes longer than the limit is refused with it ("最多 N 秒"), not waited for."""
    with pytest.raises(UserError) as caught:
        await uploads.read(roster_file(), roster.read_workbook, uploads.Limits(seconds=0))
    assert caught.value.params["reason"] == "time"
    assert "最多 0 秒" in plain_text(render(caught.value.template, **caught.value.params))


async def test_a_roster_is_read_in_a_worker_thread():
    """The guard hands a passing file to the parser: the roster's rows come back."""
    parsed = await roster.parse(roster_file())
    assert len(parsed.members) == 10 and len(parsed.orgs) == 3
