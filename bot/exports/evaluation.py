"""Filing (备案): the evaluation results register (XLSX) and the members' self-evaluations (DOCX) for one year."""

from __future__ import annotations

from io import BytesIO

from bot.domain.evaluation import GRADES, Grade, sections_of
from bot.domain.review import STATUS_LABELS, SubmissionStatus
from bot.errors import UserError
from bot.exports import DOCX, XLSX, Exporter, ExportFile, file_name, parse_year
from bot.exports.official import official_document
from bot.features import Feature
from bot.services import Services
from bot.services.evaluation import SELFEVAL_KIND, selfeval_ref
from bot.services.evaluation_results import Results, compile_results
from storage import branches, evaluation, members, submissions

REGISTER, SELFEVALS = "民主评议结果登记表", "党员个人自评"


def _label(grade: Grade | None) -> str:
    return grade.label if grade else ""


REGISTER_HEADERS = ["序号", "姓名", "自评等次", "自评状态", *[f"互评·{g.label}" for g in GRADES], "评议结果", "书记备注", "上次党性分析"]


def register_xlsx(found: Results) -> bytes:
    """One row per member: self-grade, self-evaluation status, peer counts (never who gave them), final grade."""
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"{found.campaign.year}年度"
    title = f"{found.branch.name} {found.campaign.year}年度民主评议党员结果登记表"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(REGISTER_HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(REGISTER_HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, row in enumerate(found.rows, start=1):
        status = STATUS_LABELS[row.selfeval_status] if row.selfeval_status else "未填写"
        sheet.append([index, row.member.name, _label(row.self_grade), status,
                      *[row.peer.get(g, 0) for g in GRADES], _label(row.final_grade), row.remark or "",
                      row.party_spirit.isoformat() if row.party_spirit else ""])
    for letter, width in zip("ABCDEFGHIJK", (6, 12, 10, 12, 10, 10, 12, 10, 10, 40, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def _campaign_for(svc: Services, branch_id: int, year: int):
    campaign = await evaluation.for_year(svc.db, branch_id, year)
    if campaign is None:
        raise UserError("evaluation/no_year.j2", year=year)
    return campaign


async def build_register(svc: Services, branch_id: int, year: int) -> ExportFile:
    found = await compile_results(svc, await _campaign_for(svc, branch_id, year))
    return ExportFile(file_name(found.branch.name, REGISTER, year, "xlsx"), register_xlsx(found), XLSX)


async def build_selfevals(svc: Services, branch_id: int, year: int) -> ExportFile:
    """Every self-evaluation handed in (drafts stay private to their author), one member after another."""
    campaign = await _campaign_for(svc, branch_id, year)
    async with svc.db.read() as db:  # one snapshot: the self-evaluations and their authors agree
        branch = await branches.get(db, branch_id)
        handed_in = [s for s in await submissions.for_ref(db, SELFEVAL_KIND, selfeval_ref(campaign.id))
                     if s.status is not SubmissionStatus.DRAFT]
        authors = {s.author_id: await members.get(db, s.author_id) for s in handed_in}
    document = official_document()
    document.add_heading(f"{branch.name} {year}年度党员个人自评", level=0)
    if not handed_in:
        document.add_paragraph("（暂无已提交的个人自评）")
    for submission in handed_in:
        author = authors[submission.author_id]
        document.add_heading(author.name, level=1)
        grade = submission.content.get("grade")
        document.add_paragraph(f"自评等次：{Grade(grade).label if grade else '未选'}　"
                               f"审核状态：{STATUS_LABELS[submission.status]}")
        for section in sections_of(submission.content):
            document.add_heading(section.title, level=2)
            document.add_paragraph(submission.content.get("sections", {}).get(section.key, ""))
    out = BytesIO()
    document.save(out)
    return ExportFile(file_name(branch.name, SELFEVALS, year, "docx"), out.getvalue(), DOCX)


FEATURE = Feature(name="evaluation-books", exporters=(
    Exporter(name="evaluation", label=REGISTER, arg_help="年份，如 2026", parse=parse_year,
             build=build_register, aliases=("民主评议", "评议", "评议结果")),
    Exporter(name="selfeval", label="党员个人自评汇编", arg_help="年份，如 2026", parse=parse_year,
             build=build_selfevals, approvers_only=True, aliases=("自评", "个人自评", "党员个人自评")),
))
