"""Hostile roster files sent by an officer, over HTTP: a 70-million-character cell, an external entity, a billion
laughs, sixty bad rows. Each is answered in one or two messages that name the limit or the rows, nobody else waits,
and nothing is imported. `zhibu import` has the same limits."""

from __future__ import annotations

import asyncio
import io
import re
import time
import zipfile

from bot.bench.roster import county_rows, workbook
from bot.services import units
from storage import branches

OFFICER_ID = 7501  # an officer of a 党委 (the root's officers also hear about next year's holidays)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet2.xml"  # the member sheet of bench-style workbooks
# Only a correctness bound on "not blocked": an answer that waited for the file would take seconds, not this.
ANSWER_BOUND_S = 1.0


def with_sheet(content: bytes, xml: bytes) -> bytes:
    """The workbook with its member sheet replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, xml if item.filename == SHEET else source.read(item))
    return out.getvalue()


async def _officer(harness):
    """The officer of 城关镇党委, who sends the files."""
    unit = await units.create_unit(harness.svc, "城关镇党委", None, "党委")
    await units.add_officer(harness.svc, unit.id, OFFICER_ID, "刘")
    return harness.emu.user(OFFICER_ID, "刘")


def huge_cell_file(characters: int) -> bytes:
    """A roster whose third row has a name of `characters` letters (ASCII, as the reported file: 70 MB unpacked,
    a few hundred KB sent)."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90'
            b'\x8d</t></is></c><c r="B1" t="inlineStr"><is><t>\xe6\x89\x80\xe5\x9c\xa8\xe5\x85\x9a\xe6\x94\xaf'
            b'\xe9\x83\xa8</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>')
    tail = b"</t></is></c></row></sheetData></worksheet>"
    return with_sheet(workbook(*county_rows(1, 2, 4)), head + b"A" * characters + tail)



def _answers(officer) -> list:
    """What the officer was sent about the file (not the root's weekly reminder to enter next year's holidays)."""
    return [m for m in officer.messages() if "节假日安排尚未录入" not in m.plain]

async def test_a_70_million_character_cell_is_refused_while_everyone_else_is_answered(harness):
    """The officer's file with a 70,000,000-character cell gets one message naming the 1,000-character limit;
    twenty other people's /help, sent meanwhile, are each answered within a second; nothing is imported."""
    content = huge_cell_file(70_000_000)
    officer = await _officer(harness)
    others = [harness.emu.user(3100 + i, f"群众{i}") for i in range(20)]

    async def ask_help(person, delay: float) -> float:
        await asyncio.sleep(delay)
        started = time.monotonic()
        await person.send("/help")
        await person.expect(timeout=10)
        return time.monotonic() - started

    await officer.send_document(content, "名册.xlsx", XLSX)
    latencies = await asyncio.gather(*(ask_help(p, i * 0.05) for i, p in enumerate(others)))
    refusal = await officer.expect("单元格太长", timeout=30)
    await harness.emu.idle()
    assert max(latencies) < ANSWER_BOUND_S, latencies
    assert "每格最多 1000 个字" in refusal.plain and "第 3 行" in refusal.plain
    assert len(_answers(officer)) == 1 and len(refusal.plain) < 200
    assert await branches.every(harness.svc.db) == []


async def test_entities_and_dtds_are_refused_unresolved(harness):
    """An external entity (XXE) and a billion laughs each get one polite refusal, no traceback, nothing read."""
    officer = await _officer(harness)
    base = workbook(*county_rows(1, 2, 4))
    xxe = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet><sheetData>'
           b'<row><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
    laughs = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol">'
              + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9))
              + b"]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&j;</t></is></c></row></sheetData>"
                b"</worksheet>")
    for part in (xxe, laughs):
        await officer.send_document(with_sheet(base, part), "名册.xlsx", XLSX)
        refusal = await officer.expect("DTD")
        assert "root:" not in refusal.plain and "lol" not in refusal.plain
    await harness.emu.idle()
    assert len(_answers(officer)) == 2


async def test_sixty_bad_rows_are_listed_twenty_by_number_and_counted(harness):
    """Sixty rows with a 900-letter name: the preview lists the first 20 rows by number, counts the other 40,
    quotes at most 100 characters of any cell, and fits one message."""
    orgs, people = county_rows(1, 2, 4)
    bad = [(100 + i, "名" * 900, orgs[1][0], "男", "汉族", None, "", "正式党员", None, None, "", "", "", "")
           for i in range(60)]
    officer = await _officer(harness)
    await officer.send_document(workbook(orgs, people + bad), "名册.xlsx", XLSX)
    preview = await officer.expect("名册导入预览")
    await harness.emu.idle()
    listed = [int(n) for n in re.findall(r"第 (\d+) 行：", preview.plain)]
    assert listed == list(range(7, 27))  # a title row, the headers, 4 good members: the bad ones from row 7
    assert "另有 40 行" in preview.plain and len(_answers(officer)) == 1
    assert max(len(run) for run in re.findall("名+", preview.plain)) == 100


async def test_zhibu_import_has_the_same_limits(harness, tmp_path):
    """`zhibu import` refuses the 70-million-character cell and a file over 10 MB in one line each, exit code 2."""
    huge = tmp_path / "huge.xlsx"
    huge.write_bytes(huge_cell_file(70_000_000))
    done = await harness.cli("import", str(huge))
    assert done.returncode == 2 and "每格最多 1000 个字" in done.stderr and done.stdout == ""
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK" + bytes(11 * 1024 * 1024))
    done = await harness.cli("import", str(big), "--apply")
    assert done.returncode == 2 and "最多 10 MB" in done.stderr
    assert await branches.every(harness.svc.db) == []
