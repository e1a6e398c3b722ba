"""A task's ZIP (bot/documents/tasks.py): hostile names stay one plain path segment inside the archive, two files of
one name are both kept, a file that could not be fetched is named in the index and left out, and what people typed
is written into the index as text, never as a formula."""

from __future__ import annotations

import zipfile
from datetime import datetime
from io import BytesIO

import openpyxl

from bot.documents.tasks import INDEX, Entry, bundle, safe


def test_names_are_one_safe_segment():
    """Separators, dots in front, control characters and an empty name give a plain name (or the fallback)."""
    assert safe("../../etc/passwd", "附件") == "_.._etc_passwd"
    assert safe("..", "附件") == "附件" and safe("", "附件") == "附件"
    assert safe("总结\x00.pdf", "附件") == "总结.pdf" and "/" not in safe("a/b\\c", "x")


def test_the_zip_holds_each_branch_folder_and_an_index_with_text_only():
    """Two branches handed in (one with two files of one name and one file not fetched), one did not: the index
    lists all three (a typed =HYPERLINK stays text), the folders hold what was fetched, nothing escapes them."""
    entries = [
        Entry("第一党支部", "城关镇党委", "已通过", "王书记", datetime(2026, 12, 3, 10, 0), "刘志强", "",
              "=HYPERLINK(\"http://x\")", [("../总结.pdf", b"A"), ("../总结.pdf", b"B"), ("照片2.jpg", None)]),
        Entry("第二/党支部", "城关镇党委", "待审核", "张书记", datetime(2026, 12, 4, 9, 0), text="全文"),
        Entry("第三党支部", "城关镇党委", "未报送"),
    ]
    archive = zipfile.ZipFile(BytesIO(bundle("工作总结", "城关镇党委", "2026年12月20日", entries)))
    names = archive.namelist()
    assert names[0] == INDEX
    assert set(names[1:]) == {"01_第一党支部/材料正文.txt", "01_第一党支部/_总结.pdf", "01_第一党支部/_总结（2）.pdf",
                              "02_第二_党支部/材料正文.txt"}
    assert [archive.read(n) for n in ("01_第一党支部/_总结.pdf", "01_第一党支部/_总结（2）.pdf")] == [b"A", b"B"]
    sheet = openpyxl.load_workbook(BytesIO(archive.read(INDEX)))["报送情况"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(\"http://x\")"]
    assert cells and all(c.data_type == "s" for c in cells)
    statuses = [row[3].value for row in sheet.iter_rows() if row[0].value in (1, 2, 3)]
    assert statuses == ["已通过", "待审核", "未报送"]
    assert any("部分文件未能取回" in str(row[9].value) for row in sheet.iter_rows())
