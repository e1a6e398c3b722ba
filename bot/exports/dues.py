"""党费交纳登记表: a branch's dues of one year, read for the register (bot/documents/dues.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.documents import XLSX, ExportFile, file_name
from bot.documents.dues import LABEL, Year, register
from bot.domain.dues import expected_fen
from bot.exports import parse_year
from bot.features import Exporter, Feature
from bot.services import Services
from storage import branches, dues, members


async def build(svc: Services, branch_id: int, year: int) -> ExportFile:
    async with svc.db.read() as db:  # one snapshot: the payments and the people agree
        branch = await branches.get(db, branch_id)
        payments = await dues.for_year(db, branch_id, year)
        people = {m.id: m for m in await members.in_branch(db, branch_id)}
        for payment in payments:  # members who left since still belong in the year's register
            if payment.member_id not in people:
                people[payment.member_id] = await members.get(db, payment.member_id)
    now = svc.now().astimezone(ZoneInfo(branch.tz or svc.settings.tz))
    ordered = sorted(people.values(), key=lambda p: p.id)
    data = Year(branch.name, year, min(now.date(), date(year, 12, 31)), ordered, {(p.member_id, int(p.period[5:])): p for p in payments},
                {m.id: expected_fen(m.dues_fen, year, now) for m in ordered})
    return ExportFile(filename=file_name(branch.name, LABEL, year, "xlsx"), data=register(data), mime_type=XLSX)


FEATURE = Feature(name="dues-book", exporters=(
    Exporter(name="dues", label=LABEL, arg_help="年份，如 2026", parse=parse_year, build=build),))
