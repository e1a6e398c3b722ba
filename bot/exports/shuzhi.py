"""The 述职评议 register of a unit for one year (`/export shuzhi 2026` by an officer, `zhibu export shuzhi --unit ID
--period 2026`): each branch below, its secretary, whether the 述职 was handed in, the grade and 点评, and one row a
problem of its 问题清单 — the problems carried in from earlier years included — with its 整改方案 and where it stands.
A branch that took part without problems has one row."""

from __future__ import annotations

from bot.documents.sheets import Column
from bot.domain.models import Branch
from bot.domain.roles import Role
from bot.exports import parse_year
from bot.exports.unit import build
from bot.features import Feature, UnitExporter
from bot.keys import supervision as keys
from bot.render import word
from bot.services import Services, shuzhi, shuzhi_problems
from storage import followups as items
from storage import members
from storage import shuzhi as store

SHEET = "述职评议"


async def rows(svc: Services, branch: Branch, year: int) -> dict[str, list[list]]:
    """The branch's part in each round of `year` (a round of each unit above that held one)."""
    found: list[list] = []
    secretaries = "、".join(m.name for m in await members.with_role(svc.db, branch.id, [Role.SECRETARY]))
    for report, cycle in await store.reports_of_branch(svc.db, branch.id):
        if cycle.year != year:
            continue
        latest = await shuzhi.latest_of(svc, report)
        head = [secretaries, word("shuzhi/status", s=latest.status.value if latest else None),
                word("shuzhi/grade", g=report.grade.value) if report.grade else "", report.comment or ""]
        source = keys.shuzhi_source(report.id)
        listed = [*await items.carried_into(svc.db, [source]), *await items.of_sources(svc.db, [source])]
        if not listed:
            found.append([*head, None, "", "", ""])
        for item in listed:
            shown = await shuzhi_problems.describe_item(svc, item)
            carried = word("shuzhi/carried") if item.source != source else ""
            found.append([*head, item.seq, carried + (item.reason or ""),
                          word("shuzhi/planned", planned=shown["planned"]), word("shuzhi/step", s=shown["step"])])
    return {SHEET: found}


UNIT_EXPORTER = UnitExporter(
    "shuzhi", "述职评议登记表", "年份，如 2026", parse_year,
    {SHEET: (Column("书记", 10), Column("述职", 12, "mark"), Column("等次", 6, "mark"), Column("点评", 28),
             Column("序号", 5, "number"), Column("问题", 30), Column("整改方案", 10, "mark"), Column("状态", 14, "mark"))},
    rows, build)

FEATURE = Feature(name="shuzhi-books", unit_exporters=(UNIT_EXPORTER,))
