"""Word record books laid out after 党政机关公文格式 (GB/T 9704-2012): A4, margins 37/35/28/26 mm, body in 仿宋
三号 (16 pt), the title in 方正小标宋 二号 (22 pt), first-level headings in 黑体 and second-level in 楷体 (三号).

Word picks a font for Chinese characters from the East Asian slot of a run's fonts (`w:eastAsia` in `w:rFonts`);
python-docx's `font.name` sets only the Latin slots, so the East Asian name is written into the XML here. Where a
font is missing (a phone, a PC without 方正 fonts) Word falls back to its own CJK font, so the file still opens.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from bot.documents.sheets import clean

if TYPE_CHECKING:  # python-docx is heavy and a running bot rarely exports: it is imported when a book is made
    from docx.document import Document as DocumentType

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
BODY_PT, TITLE_PT = 16, 22  # 三号, 二号

A4_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def set_fonts(style_or_run, east_asian: str, size_pt: float, bold: bool = False) -> None:
    """The Latin and the East Asian font of a style or run, its size, black (headings are blue by default)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style_or_run.font
    font.name = LATIN_FONT
    font.size = Pt(size_pt)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(slot), None)  # a theme font would win over the names set here


def official_document() -> DocumentType:
    """A blank document with the page and the styles of an official record book."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    for section in document.sections:
        section.page_width, section.page_height = (Mm(side) for side in A4_MM)
        for side, length in MARGINS_MM.items():
            setattr(section, f"{side}_margin", Mm(length))
    set_fonts(document.styles["Normal"], BODY_FONT, BODY_PT)
    document.styles["Normal"].paragraph_format.line_spacing = Pt(28)  # 固定值 28 磅: 22 lines a page
    set_fonts(document.styles["Title"], TITLE_FONT, TITLE_PT)
    document.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_fonts(document.styles["Heading 1"], HEADING_FONT, BODY_PT)
    set_fonts(document.styles["Heading 2"], SUBHEADING_FONT, BODY_PT)
    for name in ("Title", "Heading 1", "Heading 2"):
        document.styles[name].paragraph_format.line_spacing = Pt(TITLE_PT + 10 if name == "Title" else 28)
    _drop_title_rule(document)
    return document


def _drop_title_rule(document: DocumentType) -> None:
    """python-docx's Title style draws a blue rule under the title; official documents have none."""
    from docx.oxml.ns import qn

    properties = document.styles["Title"].element.pPr
    if properties is not None:
        for border in properties.findall(qn("w:pBdr")):
            properties.remove(border)


PHOTO_WIDTH_CM = 12.0  # readable on the page, two to a page where they are landscape
PHOTO_MAX_HEIGHT_CM = 17.0  # a tall phone photo still fits the type area (A4 less margins: 15.6 × 22.5 cm)


def photo_size_cm(width_px: int, height_px: int) -> tuple[float, float]:
    """A photo's size on the page: 12 cm wide with its aspect kept, narrower where it would pass 17 cm tall."""
    width, height = PHOTO_WIDTH_CM, PHOTO_WIDTH_CM * height_px / max(width_px, 1)
    if height > PHOTO_MAX_HEIGHT_CM:
        width, height = PHOTO_MAX_HEIGHT_CM * width_px / max(height_px, 1), PHOTO_MAX_HEIGHT_CM
    return width, height


def add_photo(document: DocumentType, data: bytes) -> bool:
    """The photo in a centred paragraph of its own, at `photo_size_cm`; False when the bytes are no picture the
    library can read. The paragraph's line spacing is single: the body's exact 28 pt would cut an inline picture
    down to a 1 cm strip."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.image.image import Image
    from docx.shared import Cm

    try:
        image = Image.from_blob(data)
        width, height = photo_size_cm(image.px_width, image.px_height)
        paragraph = document.add_paragraph()
        paragraph.add_run().add_picture(BytesIO(data), width=Cm(width), height=Cm(height))
    except Exception:  # noqa: BLE001 — a picture the library cannot read must not lose the book
        return False
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.keep_with_next = False
    return True


def add_text(document: DocumentType, text: str, style: str | None = None) -> None:
    """A person's text, a paragraph per line, without the control characters a DOCX file cannot hold."""
    for line in clean(text or "").splitlines() or [""]:
        document.add_paragraph(line, style=style)
