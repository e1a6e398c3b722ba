"""/export by taps: the record books as buttons (book, then period), Chinese names typed, one file-name pattern,
Word books in the 公文 layout (A4, GB/T 9704 margins, 仿宋 body, 小标宋 title through w:eastAsia), and an
attendance register that tells 代签, 补记 and 迟到 apart."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from tests.e2e.helpers import branch_with_members

CHECKIN_OPENS = datetime(2026, 12, 3, 0, 30, tzinfo=UTC)  # the December theme day, 09:00 Shanghai
AFTER_START = datetime(2026, 12, 3, 1, 20, tzinfo=UTC)
AFTER_END = datetime(2026, 12, 3, 3, 5, tzinfo=UTC)


async def _held_theme_day(harness):
    """a checks in, b is checked in by proxy, c comes late, d is absent and corrected to present afterwards."""
    secretary, (a, b, c, d) = await branch_with_members(harness, names=("李红梅", "赵建国", "孙丽", "周强"))
    await harness.drain()
    await secretary.send("/themeday")
    await secretary.press("✏️ 设置主题")
    await secretary.expect("主题党日的主题")
    await secretary.send("重温入党誓词")
    await secretary.expect("已修改")
    harness.clock.set(CHECKIN_OPENS)
    await harness.drain()
    await a.expect("现在可以签到")
    await a.press("✅ 签到")
    reminder = await secretary.expect("现在可以签到")
    await secretary.press("✅ 签到", message=reminder)
    await secretary.press("👥 代签到", message=reminder)
    await secretary.expect("未签到")
    assert "已代签" in (await secretary.press("赵建国")).text
    harness.clock.set(AFTER_START)
    await c.expect("现在可以签到")
    await c.press("✅ 签到")
    await c.expect("迟到")
    harness.clock.set(AFTER_END)
    await harness.drain()
    tally = await secretary.expect("签到汇总")
    await secretary.press("更正：实际到场", message=tally)
    await secretary.expect("更正出席记录")
    await secretary.press("周强")
    return secretary, (a, b, c, d)


async def test_attendance_register_by_two_taps_tells_proxy_correction_and_late_apart(harness):
    """/export → 📄 考勤登记表 → 今年（2026）: the file is 第一党支部_考勤登记表_2026.xlsx and marks √, √（代签）,
    迟到 and √（补记） — a correction is no longer shown as a proxy. Taps: 2 after /export."""
    secretary, _ = await _held_theme_day(harness)
    await secretary.send("/export")
    card = await secretary.expect("导出记录本")
    assert {"📄 考勤登记表", "📄 会议记录本", "📄 民主评议结果登记表", "📄 党员个人自评汇编"} <= set(card.labels())
    await secretary.press("📄 考勤登记表", message=card)
    periods = await secretary.expect("请选择时间范围")
    assert periods.labels()[:2] == ["今年（2026）", "去年（2025）"]
    await secretary.press("今年（2026）", message=periods)
    document = await secretary.expect("考勤登记表 2026")
    assert document.file_name == "第一党支部_考勤登记表_2026.xlsx"
    sheet = load_workbook(BytesIO(harness.emu.file(document.file_id).content))["考勤登记"]
    marks = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row and row[0]}
    assert marks["李红梅"] == "√" and marks["赵建国"] == "√（代签）"
    assert marks["孙丽"] == "迟到" and marks["周强"] == "√（补记）"
    assert any("补记" in str(row[0]) for row in sheet.iter_rows(values_only=True) if row and row[0])  # a legend


async def test_chinese_names_quarters_and_the_official_word_layout(harness):
    """/export 考勤 2026 is understood (it used to repeat the usage); /export 会议记录 offers quarters; the Word books
    are A4 with GB/T 9704 margins, 仿宋 三号 body and 小标宋 二号 title set in w:eastAsia, and named by one pattern."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await secretary.send("/export 考勤 2026")
    typed = await secretary.expect("考勤登记表 2026")
    assert typed.kind == "document" and typed.file_name == "第一党支部_考勤登记表_2026.xlsx"
    await secretary.send("/export 会议记录")
    periods = await secretary.expect("请选择时间范围")
    assert periods.labels()[:4] == ["2026年第四季度", "2026年第三季度", "2026年第二季度", "2026年第一季度"]
    await secretary.press("2026年第四季度", message=periods)
    book = await secretary.expect("会议记录本 2026Q4")
    assert book.file_name == "第一党支部_会议记录本_2026Q4.docx"
    document = Document(BytesIO(harness.emu.file(book.file_id).content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # stored in twips
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    normal, title = document.styles["Normal"], document.styles["Title"]
    assert normal.font.size == Pt(16) and title.font.size == Pt(22)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.paragraphs[0].style.name == "Title" and "第一党支部" in document.paragraphs[0].text

    await secretary.send("/export 民主评议 2026")
    await secretary.expect("还没有")  # no evaluation that year: told so, no file
    await secretary.send("/export 考勤 明年")
    await secretary.expect("四位年份")


async def test_a_member_cannot_take_a_book_by_a_forged_press(harness):
    """A plain member is refused /export and a forged 考勤 / period press alike; nothing is sent."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await a.send("/export")
    await a.expect("权限")
    forged = await a.press_data(a.last.message_id, "ex:p:attendance:2026")
    assert "权限" in forged.text
    forged = await a.press_data(a.last.message_id, "ex:b:attendance")
    assert "权限" in forged.text
    assert all(m.kind != "document" for m in a.messages())
