"""The running bot does not load what only exports, imports and charts need: openpyxl, python-docx and
matplotlib (with numpy and Pillow) are ≈ 55 MB of a process whose budget is 150 MB, and are imported when a book,
a roster or a chart is first made; psycopg (≈ 25 MB) only by a bot on PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("openpyxl", "docx", "matplotlib", "numpy", "PIL", "psycopg")


def test_the_bot_starts_without_the_heavy_file_libraries():
    """Importing the app and the command line loads none of openpyxl, python-docx, matplotlib, numpy, Pillow, nor
    psycopg (PostgreSQL's driver, loaded only when ZHIBU_DB is a PostgreSQL URL)."""
    probe = f"import sys, bot.app, bot.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert loaded.stdout.split() == []


def test_they_are_still_there_when_a_file_is_made():
    """The lazy imports resolve: an export module and the charts import their libraries when used."""
    probe = ("import sys; from bot.documents.official import official_document; official_document(); "
             "from bot.services.overview import _chart; "
             f"_chart('attendance_chart', 't', ['1月'], [0.5]); print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert set(loaded.stdout.split()) == {"docx", "matplotlib", "numpy", "PIL"}
