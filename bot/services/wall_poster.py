"""The 民心墙's printable poster for its dispatcher (one tap under /wall): an A4 page with the branch's name and the
wall's deep link as a QR code, as PNG and PDF (bot/documents/poster.py). The words are templates/wall/poster.j2."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.documents import ExportFile, file_name
from bot.documents.poster import Poster, poster_files
from bot.render import plain_text, render, word
from bot.services import Services, wall

PNG = "image/png"
PDF = "application/pdf"


def poster_of(branch: str, link: str, keep_days: int) -> Poster:
    """The poster's words: headline, steps and footer are the template's three paragraphs."""
    text = plain_text(render("wall/poster.j2", branch=branch, keep_days=keep_days))
    headline, steps, footer = ([line for line in part.splitlines() if line.strip()] for part in text.split("\n\n"))
    return Poster(title=branch, headline=headline[0], lines=steps, link=link, footer=footer[0])


@dataclass
class PosterFiles:
    branch: str
    files: list[ExportFile]


async def poster(svc: Services, telegram_id: int) -> PosterFiles:
    """海报: the dispatcher's wall (its link made on first use) as a poster, PNG then PDF."""
    branch, link, _ = await wall.wall_of(svc, telegram_id)
    png, pdf = await asyncio.to_thread(poster_files, poster_of(branch, link, svc.settings.wall_keep_days))
    book = word("wall/poster_file")
    return PosterFiles(branch, [ExportFile(file_name(branch, book, "A4", "png"), png, PNG),
                                ExportFile(file_name(branch, book, "A4", "pdf"), pdf, PDF)])
