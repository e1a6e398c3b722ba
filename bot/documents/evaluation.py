"""民主评议: the results register (XLSX) — the file `/export evaluation` gives and 备案 files — and the members'
self-evaluations (DOCX), from results and submissions already read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Protocol

from bot.documents.official import add_text, official_document
from bot.documents.sheets import Column, Table, workbook
from bot.domain.evaluation import GRADES, Grade, sections_of
from bot.domain.models import Member
from bot.domain.review import STATUS_LABELS, Submission, SubmissionStatus

REGISTER = "民主评议结果登记表"
REGISTER_COLUMNS = (Column("序号", 6, "mark"), Column("姓名", 10), Column("自评等次", 10, "mark"),
                    Column("自评状态", 10, "mark"), *(Column(f"互评\n{g.label}", 8, "number") for g in GRADES),
                    Column("评议结果", 10, "mark"), Column("书记备注", 28), Column("上次\n党性分析", 13, "date"),
                    Column("专题学习\n（本年度）", 24), Column("学习测试\n（季度）", 22), Column("岗位承诺\n及践诺", 36),
                    Column("星级事迹\n（一事一评星）", 36), Column("社区报到\n志愿服务", 30))


class ResultRow(Protocol):
    """One member's line of a campaign's results (services/evaluation_results.Row)."""

    member: Member
    self_grade: Grade | None
    selfeval_status: SubmissionStatus | None
    peer: Mapping[Grade, int]
    final_grade: Grade | None
    remark: str | None
    party_spirit: date | None
    pledge: str
    stars: Sequence[str]
    tests: Sequence[str]  # the year's 学习测试, one line a quarter
    service: str
    study: str  # the year's 专题学习: attended, made up, notes handed in


@dataclass(frozen=True)
class Register:
    branch: str
    year: int
    rows: Sequence[ResultRow]


def _label(grade: Grade | None) -> str:
    return grade.label if grade else ""


def register_xlsx(found: Register) -> bytes:
    """One row per member: self-grade, self-evaluation status, peer counts (never who gave them), final grade."""
    rows = []
    for index, row in enumerate(found.rows, start=1):
        status = STATUS_LABELS[row.selfeval_status] if row.selfeval_status else "未填写"
        rows.append([index, row.member.name, _label(row.self_grade), status, *[row.peer.get(g, 0) for g in GRADES],
                     _label(row.final_grade), row.remark or "", row.party_spirit,
                     row.study, "\n".join(row.tests), row.pledge, "\n".join(row.stars), row.service])
    return workbook([Table(f"{found.year}年度", f"{found.branch} {found.year}年度民主评议党员结果登记表",
                           REGISTER_COLUMNS, rows, subtitle=f"参评党员 {len(rows)} 人；互评栏为各等次的票数，不记投票人")])


def selfevals_docx(branch: str, year: int, handed_in: Sequence[tuple[Submission, Member]]) -> bytes:
    """Every self-evaluation handed in, one member after another, each from a new page."""
    document = official_document()
    document.add_heading(f"{branch}\n{year}年度党员个人自评", level=0)
    if not handed_in:
        document.add_paragraph("（暂无已提交的个人自评）")
    for index, (submission, author) in enumerate(handed_in):
        if index:
            document.add_page_break()
        document.add_heading(author.name, level=1)
        grade = submission.content.get("grade")
        document.add_paragraph(f"自评等次：{Grade(grade).label if grade else '未选'}　"
                               f"审核状态：{STATUS_LABELS[submission.status]}")
        for section in sections_of(submission.content):
            document.add_heading(section.title, level=2)
            add_text(document, submission.content.get("sections", {}).get(section.key, ""))
    out = BytesIO()
    document.save(out)
    return out.getvalue()
