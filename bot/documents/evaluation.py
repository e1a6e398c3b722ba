"""民主评议: the results register (XLSX) — the file `/export evaluation` gives and 备案 files — and the members'
self-evaluations (DOCX), from results and submissions already read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Protocol

from bot.documents.official import official_document
from bot.documents.sheets import append
from bot.domain.evaluation import GRADES, Grade, sections_of
from bot.domain.models import Member
from bot.domain.review import STATUS_LABELS, Submission, SubmissionStatus

REGISTER = "民主评议结果登记表"
REGISTER_HEADERS = ["序号", "姓名", "自评等次", "自评状态", *[f"互评·{g.label}" for g in GRADES], "评议结果", "书记备注",
                    "上次党性分析"]


class ResultRow(Protocol):
    """One member's line of a campaign's results (services/evaluation_results.Row)."""

    member: Member
    self_grade: Grade | None
    selfeval_status: SubmissionStatus | None
    peer: Mapping[Grade, int]
    final_grade: Grade | None
    remark: str | None
    party_spirit: date | None


@dataclass(frozen=True)
class Register:
    branch: str
    year: int
    rows: Sequence[ResultRow]


def _label(grade: Grade | None) -> str:
    return grade.label if grade else ""


def register_xlsx(found: Register) -> bytes:
    """One row per member: self-grade, self-evaluation status, peer counts (never who gave them), final grade."""
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{found.year}年度"
    title = f"{found.branch} {found.year}年度民主评议党员结果登记表"
    append(sheet, [title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    append(sheet, REGISTER_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, row in enumerate(found.rows, start=1):
        status = STATUS_LABELS[row.selfeval_status] if row.selfeval_status else "未填写"
        append(sheet, [index, row.member.name, _label(row.self_grade), status,
                      *[row.peer.get(g, 0) for g in GRADES], _label(row.final_grade), row.remark or "",
                      row.party_spirit.isoformat() if row.party_spirit else ""])
    for letter, width in zip("ABCDEFGHIJK", (6, 12, 10, 12, 10, 10, 12, 10, 10, 40, 14), strict=False):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def selfevals_docx(branch: str, year: int, handed_in: Sequence[tuple[Submission, Member]]) -> bytes:
    """Every self-evaluation handed in, one member after another."""
    document = official_document()
    document.add_heading(f"{branch} {year}年度党员个人自评", level=0)
    if not handed_in:
        document.add_paragraph("（暂无已提交的个人自评）")
    for submission, author in handed_in:
        document.add_heading(author.name, level=1)
        grade = submission.content.get("grade")
        document.add_paragraph(f"自评等次：{Grade(grade).label if grade else '未选'}　"
                               f"审核状态：{STATUS_LABELS[submission.status]}")
        for section in sections_of(submission.content):
            document.add_heading(section.title, level=2)
            document.add_paragraph(submission.content.get("sections", {}).get(section.key, ""))
    out = BytesIO()
    document.save(out)
    return out.getvalue()
