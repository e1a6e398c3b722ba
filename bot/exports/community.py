"""在职党员到社区报到 as the unit sees it: each branch's members' confirmed community service in a year — how many
members served, how many times, how many hours — one line per branch of the subtree (`/export service 2026`,
`zhibu export --unit`). Totals only: no member is listed, nobody is ranked."""

from __future__ import annotations

from bot.documents.sheets import Column
from bot.domain.models import Branch
from bot.exports import parse_year
from bot.exports.unit import build
from bot.features import Feature, UnitExporter
from bot.services import Services, community_hours

SHEET = "社区报到服务"


async def _rows(svc: Services, branch: Branch, year: int) -> dict[str, list[list]]:
    return {SHEET: [await community_hours.branch_line(svc, branch, year)]}


UNIT_EXPORTERS = (
    UnitExporter("service", "社区报到服务汇总", "年份，如 2026", parse_year,
                 {SHEET: (Column("报到服务党员", 12, "number"), Column("服务次数", 10, "number"),
                                          Column("服务时长（小时）", 14, "number"))},
                 _rows, build),
)

FEATURE = Feature(name="community", unit_exporters=UNIT_EXPORTERS)
