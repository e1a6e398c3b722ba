"""党费交纳登记表: a branch's dues of one year as an XLSX register — one row per member, one column per month, the
member's monthly standard, and what was received beside what is expected at that standard for the months due."""

from __future__ import annotations

from io import BytesIO
from zoneinfo import ZoneInfo

from bot.domain.dues import DuesPayment, DuesStatus, expected_fen, yuan
from bot.exports import XLSX, Exporter, ExportFile, parse_year
from bot.features import Feature
from bot.services import Services
from storage import branches, dues, members


def cell_mark(payment: DuesPayment | None) -> str:
    """What the register shows for one member in one month."""
    if payment is None:
        return ""
    if payment.status is DuesStatus.REPORTED:
        return "本人报已交（待确认）"
    mark = yuan(payment.amount_fen) or "√"
    return f"{mark}（{payment.paid_by}代缴）" if payment.paid_by else mark


async def build(svc: Services, branch_id: int, year: int) -> ExportFile:
    async with svc.db.read() as db:  # one snapshot: the payments and the people agree
        branch = await branches.get(db, branch_id)
        payments = await dues.for_year(db, branch_id, year)
        people = {m.id: m for m in await members.in_branch(db, branch_id)}
        for payment in payments:  # members who left since still belong in the year's register
            if payment.member_id not in people:
                people[payment.member_id] = await members.get(db, payment.member_id)
    by_cell = {(p.member_id, int(p.period[5:])): p for p in payments}
    now = svc.now().astimezone(ZoneInfo(branch.tz or svc.settings.tz))

    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "党费登记"
    sheet.append([f"{branch.name} {year}年 党费交纳登记表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["姓名", "党费标准（元/月）"] + [f"{month}月" for month in range(1, 13)]
                 + ["已收月数", "已收合计（元）", "应交合计（元）"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for member in sorted(people.values(), key=lambda p: p.id):
        cells = [by_cell.get((member.id, month)) for month in range(1, 13)]
        confirmed = [p for p in cells if p is not None and p.status is DuesStatus.CONFIRMED]
        total = sum(p.amount_fen or 0 for p in confirmed)
        sheet.append([member.name, yuan(member.dues_fen)] + [cell_mark(p) for p in cells]
                     + [len(confirmed), yuan(total), yuan(expected_fen(member.dues_fen, year, now))])
    sheet.column_dimensions["A"].width = 12
    out = BytesIO()
    book.save(out)
    return ExportFile(filename=f"党费登记表_{branch.name}_{year}.xlsx", data=out.getvalue(), mime_type=XLSX)


FEATURE = Feature(name="dues-book", exporters=(
    Exporter(name="dues", label="党费交纳登记表", arg_help="年份，如 2026", parse=parse_year, build=build),))
