"""Every record book as an office prints it: the sample branch's books (and its unit's registers) rendered to PDF by
LibreOffice, headless, in one start — A4 pages, the page count the sample gives, and every photo of the Word books
at least 4 cm tall on the page, its aspect kept, no text printed over it.

pdfplumber reads the PDFs: MIT-licensed and pure Python (on pdfminer.six), it gives each page's size and each
image's box in points — all this test needs (PyMuPDF would do too, but is AGPL and a large binary wheel).
scripts/test.sh installs LibreOffice where it can (root, apt); where it cannot, this test is skipped."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from bot.catalog import core_registry
from bot.emulator import Emulator
from bot.emulator.control import sample_photo
from bot.services import Services
from bot.settings import Settings
from tests.services.books_sample import NOW, Words, seed

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (scripts/test.sh installs it "
                                                        "with apt-get where it runs as root)")
A4_PT = (595.3, 841.9)
CM_PT = 72 / 2.54
LANDSCAPE, PORTRAIT = (640, 480), (480, 640)  # the sample's photos, in pixels
# The pages each book of the sample takes (a register: one page a sheet; a minutes book: each meeting from a new
# page, its photos after its text; the all-in-one book is the four kinds' books and the theme day together), and
# the photos in the Word books.
PAGES = {
    "考勤登记表": 2, "党费交纳登记表": 1, "民主评议结果登记表": 1, "党员个人自评汇编": 1, "会议记录本": 19,
    "支部党员大会记录本": 3, "支部委员会记录本": 7, "党小组会记录本": 4, "党课记录本": 4, "谈心谈话记录": 1,
    "专题学习记录本": 1,  # the sample holds no 专题学习: its book says so on one page
    "思想汇报登记": 1, "党员思想汇报汇编": 4, "操作记录": 1,
    "单位·考勤汇总": 2, "单位·会议记录一览": 1, "单位·民主评议结果汇总": 1, "单位·操作记录": 1,
    "单位·述职评议登记表": 1, "单位·约谈登记表": 1, "单位·备案审阅登记": 1, "单位·社区报到服务汇总": 1,
}
PHOTOS = {"会议记录本": 12, "支部党员大会记录本": 1, "支部委员会记录本": 5, "党小组会记录本": 3, "党课记录本": 2,
          "党员思想汇报汇编": 2}


def book_of(path: Path) -> str:
    """The book's name in an exported file's name: <支部或单位>_<记录本>_<期间>.<ext>."""
    return path.stem.split("_")[1]


async def make_books(database, clock, folder: Path) -> list[Path]:
    """The sample, with photos the emulator serves (as Telegram would), and every branch and unit book of 2026."""
    async with Emulator() as emu:
        settings = Settings(db=database.path, token=emu.token, api_base_url=emu.base_url,
                            api_file_url=emu.base_file_url)
        svc = Services(db=database, settings=settings, clock=clock, features=core_registry())
        clock.set(NOW)
        pictures = [sample_photo(*LANDSCAPE), sample_photo(*PORTRAIT)]

        def photo_ids(count: int) -> list[str]:
            return [emu.store_file(pictures[i % 2], "photos", f"p{i}.png", "image/png").file_id for i in range(count)]

        sample = await seed(svc, photo_ids=photo_ids)
        files = [await e.build(svc, sample.branch_id, e.parse("2026")) for e in svc.features.exporters.values()]
        files += [await e.export(svc, sample.unit_id, e.parse("2026"), "2026")
                  for e in svc.features.unit_exporters.values()]
    written = []
    for file in files:
        (folder / file.filename).write_bytes(file.data)
        written.append(folder / file.filename)
    return written


def to_pdf(files: list[Path], folder: Path) -> dict[Path, Path]:
    """One LibreOffice start converts them all (a private profile, so a running LibreOffice is left alone)."""
    profile = (folder / "profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(folder / "pdf"), *map(str, files)], check=True, capture_output=True, timeout=300)
    return {file: folder / "pdf" / f"{file.stem}.pdf" for file in files}


def words_over(page, image: dict) -> list[str]:
    """Characters printed inside an image's box."""
    return [c["text"] for c in page.chars if c["x0"] < image["x1"] and c["x1"] > image["x0"]
            and c["top"] < image["bottom"] - 1 and c["bottom"] > image["top"] + 1]


def measure(pdfs: dict[Path, Path], unit: str) -> tuple[dict[str, int], dict[str, int]]:
    """Pages by book (a unit's register as 单位·<book>), photos by book; every page checked to be A4 and every
    photo checked to be readable on the way."""
    pages, photos = {}, {}
    for file, pdf_path in pdfs.items():
        book = book_of(file) if not file.name.startswith(f"{unit}_") else f"单位·{book_of(file)}"
        with pdfplumber.open(pdf_path) as pdf:
            pages[book] = len(pdf.pages)
            for page in pdf.pages:
                size = sorted((round(page.width, 1), round(page.height, 1)))
                assert abs(size[0] - A4_PT[0]) < 2 and abs(size[1] - A4_PT[1]) < 2, (file.name, size)
                for image in page.images:
                    width, height = image["x1"] - image["x0"], image["bottom"] - image["top"]
                    assert height >= 4 * CM_PT, (file.name, page.page_number, height / CM_PT)
                    assert min(abs(width / height - w / h) for w, h in (LANDSCAPE, PORTRAIT)) < 0.03, file.name
                    assert words_over(page, image) == [], (file.name, page.page_number)
                    photos[book] = photos.get(book, 0) + 1
    return pages, photos


async def test_every_book_prints_on_a4_with_its_photos_readable(database, clock, tmp_path):
    """Each book of the sample (14 of a branch, 8 of its unit) renders to A4 pages in the expected number of pages;
    the Word books hold every photo of their records at ≥ 4 cm tall, aspect kept, nothing printed over it."""
    files = await make_books(database, clock, tmp_path)
    pages, photos = measure(to_pdf(files, tmp_path), Words().unit)
    assert photos == PHOTOS
    assert pages == PAGES
