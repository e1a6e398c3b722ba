"""The guard every uploaded workbook passes before anything reads it: rosters now, question banks and whatever
comes later.

A file that is too big, unpacks too far, has a cell too long, too many rows or columns, takes too long, or carries a
DTD or an entity declaration (an external entity, a "billion laughs") is refused in one message that names the limit.
The parts of the .xlsx are read first with a streaming XML parser (expat) that refuses any DTD and counts cells,
rows and columns as it goes, so a 70-million-character cell is refused after its first thousand characters without
ever being held in memory; only a file that passed is handed to the parser proper. Both run in a worker thread
against one deadline, so the event loop keeps answering everyone else meanwhile.
"""

from __future__ import annotations

import asyncio
import io
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from xml.parsers import expat

from bot.errors import UserError

T = TypeVar("T")
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How far an uploaded workbook may go. The defaults hold a county's roster (20,000 members, 900 branches:
    1.6 MB, 17 MB unpacked) several times over."""

    max_bytes: int = 10 * 1024 * 1024  # the file as sent
    max_unpacked: int = 100 * 1024 * 1024  # its parts unzipped, all together
    max_parts: int = 500  # files inside the .xlsx
    max_cell: int = 1000  # characters in one cell (or one attribute, e.g. a sheet's name)
    max_rows: int = 50_000  # rows of all its sheets together, and the highest row number
    max_columns: int = 100  # the highest column a cell may sit in
    seconds: float = 60.0  # checking and reading it

    @property
    def max_mb(self) -> int:
        return self.max_bytes // (1024 * 1024)


WORKBOOK = Limits()
# A file or photo handed in with a draft (a task's material, a make-up's photos): kept by Telegram, fetched by an
# export — and the Bot API lets a bot download at most 20 MB, so nothing bigger is accepted.
SUBMITTED = Limits(max_bytes=20 * 1024 * 1024)


def refused(reason: str, limits: Limits = WORKBOOK, **where: object) -> UserError:
    """The one message a file beyond a limit gets: which limit, and where in the file when it helps."""
    return UserError("uploads/refused.j2", reason=reason, limits=limits, **where)


class Deadline:
    """The time a file's checking and reading may take, checked along the way by the worker thread."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.at = time.monotonic() + limits.seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise refused("time", self.limits)


def check_size(size: int | None, limits: Limits = WORKBOOK) -> None:
    """A file over the size limit is refused before it is downloaded or read."""
    if size is not None and size > limits.max_bytes:
        raise refused("bytes", limits)


_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
_HOLDERS = frozenset({"si", "is", "c"})  # a shared string, an inline string, a cell: their text is one cell's


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


class _PartScan:
    """One XML part read through expat: no DTD, no entity, cells, rows and columns within the limits."""

    def __init__(self, limits: Limits, counts: dict[str, int], part: str) -> None:
        self.limits, self.counts, self.part = limits, counts, part
        self.text = 0  # characters of the current cell (or element outside cells)
        self.holder = 0  # depth inside si / is / c
        self.row = 0
        parser = expat.ParserCreate()
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._declaration
        parser.EntityDeclHandler = self._declaration
        parser.ExternalEntityRefHandler = self._declaration
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.buffer_text = True
        self.parser = parser

    def _declaration(self, *args: object) -> None:
        raise refused("dtd", self.limits)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        for value in attributes.values():
            if len(value) > self.limits.max_cell:
                raise refused("cell", self.limits, row=self.row or None)
        if local in _HOLDERS:
            self.holder += 1
            if self.holder == 1:
                self.text = 0
        elif not self.holder:
            self.text = 0
        if local == "row":
            self._a_row(attributes.get("r"))
        elif local == "c" and attributes.get("r"):
            self._within(attributes["r"])
        elif local == "dimension" and attributes.get("ref"):
            for corner in attributes["ref"].split(":"):
                self._within(corner)

    def _a_row(self, number: str | None) -> None:
        self.counts["rows"] += 1
        self.row = int(number) if number and number.isdigit() else self.row + 1
        if self.counts["rows"] > self.limits.max_rows or self.row > self.limits.max_rows:
            raise refused("rows", self.limits)

    def _within(self, reference: str) -> None:
        found = _CELL_REF.fullmatch(reference.strip())
        if found is None:
            return
        if _column(found.group(1)) > self.limits.max_columns:
            raise refused("columns", self.limits, row=int(found.group(2)))
        if int(found.group(2)) > self.limits.max_rows:
            raise refused("rows", self.limits)

    def _end(self, name: str) -> None:
        if name.rsplit(":", 1)[-1] in _HOLDERS and self.holder:
            self.holder -= 1

    def _characters(self, data: str) -> None:
        self.text += len(data)
        if self.text > self.limits.max_cell:
            raise refused("cell", self.limits, row=self.row or None)

    def feed(self, data: bytes, last: bool) -> None:
        try:
            self.parser.Parse(data, last)
        except expat.ExpatError:
            raise refused("unreadable", self.limits) from None


def check_xlsx(content: bytes, limits: Limits = WORKBOOK, deadline: Deadline | None = None) -> None:
    """Refuse a workbook beyond `limits` (see the module's docstring); return quietly for one within them."""
    deadline = deadline or Deadline(limits)
    check_size(len(content), limits)
    try:
        book = zipfile.ZipFile(io.BytesIO(content))
        parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise refused("unreadable", limits) from None
    if len(parts) > limits.max_parts:
        raise refused("parts", limits)
    if sum(p.file_size for p in parts) > limits.max_unpacked:  # what the archive says; counted again below
        raise refused("unpacked", limits)
    counts = {"bytes": 0, "rows": 0}
    for part in parts:
        if not part.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        _scan(book, part, limits, counts, deadline)


def _scan(book: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits, counts: dict[str, int],
          deadline: Deadline) -> None:
    scan = _PartScan(limits, counts, part.filename)
    try:
        with book.open(part) as stream:
            while chunk := stream.read(CHUNK):
                counts["bytes"] += len(chunk)
                if counts["bytes"] > limits.max_unpacked:
                    raise refused("unpacked", limits)
                scan.feed(chunk, last=False)
                deadline.check()
        scan.feed(b"", last=True)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError):
        raise refused("unreadable", limits) from None


async def read(content: bytes, parse: Callable[[bytes, Deadline], T], limits: Limits = WORKBOOK) -> T:
    """`parse(content, deadline)` of a workbook that passed the guard, both in a worker thread within the time
    limit (`parse` checks the deadline as it goes; should it not, the answer still comes when the time is up)."""
    check_size(len(content), limits)
    deadline = Deadline(limits)

    def work() -> T:
        check_xlsx(content, limits, deadline)
        return parse(content, deadline)

    try:
        return await asyncio.wait_for(asyncio.to_thread(work), limits.seconds + 5)
    except TimeoutError:
        raise refused("time", limits) from None
