"""The 约谈 register of a unit for one year (`/export yuetan 2026` by an officer, `zhibu export yuetan --unit ID
--period 2026`): each talk with a person of a branch below — when, where, why, what was said, the rectification
required and the written report's state. Officers only: unit registers never reach a branch."""

from __future__ import annotations

from bot.documents.sheets import Column
from bot.domain import yuetan as rules
from bot.domain.models import Branch
from bot.exports import parse_year
from bot.exports.unit import build, local
from bot.features import Feature, UnitExporter
from bot.render import word
from bot.services import Services, yuetan
from storage import yuetan as store

SHEET = "约谈登记"


async def rows(svc: Services, branch: Branch, year: int) -> dict[str, list[list]]:
    since, until = rules.year_bounds(year, svc.settings.tz)
    found = []
    for talk in await store.of_branch(svc.db, branch.id, since, until):
        shown = await yuetan.describe(svc, talk)
        reason = word("yuetan/reason", code=talk.reason_code.value)
        if talk.reason:
            reason = talk.reason if talk.reason_code is rules.Reason.OTHER else f"{reason}（{talk.reason}）"
        report = word("yuetan/report", s=shown["report"]["status"]) if shown["report"] else ""
        found.append([shown["name"], local(talk.starts_at, svc.settings.tz), talk.place, reason,
                      word("yuetan/status", s=talk.status.value), talk.content or "", talk.rectification or "",
                      report])
    return {SHEET: found}


UNIT_EXPORTER = UnitExporter(
    "yuetan", "约谈登记表", "年份，如 2026", parse_year,
    {SHEET: (Column("被约谈人", 10), Column("时间", 16, "datetime"), Column("地点", 12), Column("事由", 20),
             Column("状态", 8, "mark"), Column("约谈情况", 30), Column("整改要求", 24), Column("整改报告", 14, "mark"))},
    rows, build)

FEATURE = Feature(name="yuetan-books", unit_exporters=(UNIT_EXPORTER,))
