"""民主评议 books for one year: the results register (XLSX) and the members' self-evaluations (DOCX), read for
bot/documents/evaluation.py; and the register a closed evaluation files with the unit above (备案)."""

from __future__ import annotations

from bot.documents import DOCX, XLSX, ExportFile, file_name
from bot.documents.evaluation import REGISTER, Register, register_xlsx, selfevals_docx
from bot.domain import filing as filing_rules
from bot.domain.review import SubmissionStatus
from bot.errors import UserError
from bot.exports import parse_year
from bot.features import Exporter, Feature
from bot.keys import refs
from bot.services import Services
from bot.services.evaluation import SELFEVAL_KIND
from bot.services.evaluation_results import Results, compile_results
from bot.services.filing import EVALUATION
from storage import branches, evaluation, members, submissions

SELFEVALS = "党员个人自评汇编"


def register_of(found: Results) -> bytes:
    return register_xlsx(Register(found.branch.name, found.campaign.year, found.rows))


async def _campaign_for(svc: Services, branch_id: int, year: int):
    campaign = await evaluation.for_year(svc.db, branch_id, year)
    if campaign is None:
        raise UserError("evaluation/no_year.j2", year=year)
    return campaign


async def build_register(svc: Services, branch_id: int, year: int) -> ExportFile:
    found = await compile_results(svc, await _campaign_for(svc, branch_id, year))
    return ExportFile(file_name(found.branch.name, REGISTER, year, "xlsx"), register_of(found), XLSX)


async def build_selfevals(svc: Services, branch_id: int, year: int) -> ExportFile:
    """Every self-evaluation handed in (drafts stay private to their author), one member after another."""
    campaign = await _campaign_for(svc, branch_id, year)
    async with svc.db.read() as db:  # one snapshot: the self-evaluations and their authors agree
        branch = await branches.get(db, branch_id)
        handed_in = [s for s in await submissions.for_ref(db, SELFEVAL_KIND, refs.evaluation(campaign.id))
                     if s.status is not SubmissionStatus.DRAFT]
        authors = {s.author_id: await members.get(db, s.author_id) for s in handed_in}
    data = selfevals_docx(branch.name, year, [(s, authors[s.author_id]) for s in handed_in])
    return ExportFile(file_name(branch.name, SELFEVALS, year, "docx"), data, DOCX)


async def filed_register(svc: Services, filing: filing_rules.Filing) -> tuple[str, bytes] | None:
    """备案: the register of the closed evaluation a filing names (the same file /export evaluation gives)."""
    campaign = await evaluation.get(svc.db, refs.evaluation.read(filing.ref).campaign)
    if campaign is None:
        return None
    found = await compile_results(svc, campaign)
    return file_name(found.branch.name, REGISTER, campaign.year, "xlsx"), register_of(found)


FEATURE = Feature(name="evaluation-books", exporters=(
    Exporter(name="evaluation", label=REGISTER, arg_help="年份，如 2026", parse=parse_year,
             build=build_register, aliases=("民主评议", "评议", "评议结果")),
    Exporter(name="selfeval", label=SELFEVALS, arg_help="年份，如 2026", parse=parse_year,
             build=build_selfevals, approvers_only=True, aliases=("自评", "个人自评", "党员个人自评")),
), filing_files={EVALUATION: filed_register})
