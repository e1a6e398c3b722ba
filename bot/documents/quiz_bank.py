"""A question bank for 学习测试 read from an Excel file: one question a row, under a header row (within the first
five rows) naming 题目, the options (选项A, 选项B … or A, B …), 答案 (the right option's letter) and 解析 (optional).
Every row is checked by bot.domain.quiz.parse_row; bad rows come back with their row numbers, good ones as
questions. Call `read` through bot.uploads.read, which checks the file against the upload limits first."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from bot.domain.quiz import LETTERS, BadRow, Question, parse_row
from bot.uploads import Deadline

HEADER_ROWS = 5
_QUESTION = ("题目", "题干", "问题", "试题")
_ANSWER = ("答案", "正确答案", "正确选项")
_EXPLANATION = ("解析", "答案解析", "说明")
_OPTION = re.compile(r"^(?:选项)?\s*([A-Ja-j])$")
UNREADABLE = (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, AttributeError, IndexError, SyntaxError)


class NotABank(Exception):
    """The file is no readable workbook, or no sheet has the bank's header row."""


@dataclass
class Bank:
    questions: list[Question] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    question: int
    options: tuple[int, ...]  # in letter order
    answer: int
    explanation: int | None


def find_columns(cells: list[object]) -> Columns | None:
    names = [str(c).strip() if c is not None else "" for c in cells]
    question = next((i for i, n in enumerate(names) if n in _QUESTION), None)
    answer = next((i for i, n in enumerate(names) if n in _ANSWER), None)
    explanation = next((i for i, n in enumerate(names) if n in _EXPLANATION), None)
    letters = {m.group(1).upper(): i for i, n in enumerate(names) if (m := _OPTION.match(n))}
    options = tuple(letters[x] for x in LETTERS if x in letters)
    if question is None or answer is None or len(options) < 2:
        return None
    return Columns(question, options, answer, explanation)


def _cell(row: tuple, index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


def read(content: bytes, deadline: Deadline) -> Bank:
    import openpyxl  # heavy, and only an upload needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            return _read(book, deadline)
        finally:
            book.close()
    except UNREADABLE:
        raise NotABank from None


def _read(book, deadline: Deadline) -> Bank:
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        for number, row in enumerate(rows, start=1):
            deadline.check()
            columns = find_columns(list(row))
            if columns is not None:
                return _rows(rows, number, columns, deadline)
            if number >= HEADER_ROWS:
                break
    raise NotABank


def _rows(rows, header: int, columns: Columns, deadline: Deadline) -> Bank:
    bank = Bank()
    for number, row in enumerate(rows, start=header + 1):
        deadline.check()
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        found = parse_row(number, _cell(row, columns.question), [_cell(row, i) for i in columns.options],
                          _cell(row, columns.answer), _cell(row, columns.explanation))
        (bank.bad if isinstance(found, BadRow) else bank.questions).append(found)
    return bank
