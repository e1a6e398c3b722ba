"""党费交纳登记表: a branch's dues of one year as an XLSX register — one row per member, one column per month, the
member's monthly standard, and what was received beside what is expected at that standard for the months due."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from bot.documents.sheets import append
from bot.domain.dues import DuesPayment, DuesStatus, yuan
from bot.domain.models import Member

LABEL = "党费交纳登记表"


@dataclass(frozen=True)
class Year:
    branch: str
    year: int
    people: list[Member]  # in register order
    payments: dict[tuple[int, int], DuesPayment]  # (member id, month) → payment
    expected_fen: dict[int, int | None]  # member id → what is due this year at their standard, so far


def cell_mark(payment: DuesPayment | None) -> str:
    """What the register shows for one member in one month."""
    if payment is None:
        return ""
    if payment.status is DuesStatus.REPORTED:
        return "本人报已交（待确认）"
    mark = yuan(payment.amount_fen) or "√"
    return f"{mark}（{payment.paid_by}代缴）" if payment.paid_by else mark


def register(data: Year) -> bytes:
    from openpyxl import (
        Workbook,  # imported here: heavy, and a running bot rarely exports
    )
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "党费登记"
    append(sheet, [f"{data.branch} {data.year}年 党费交纳登记表"])
    sheet["A1"].font = Font(bold=True, size=14)
    append(sheet, ["姓名", "党费标准（元/月）"] + [f"{month}月" for month in range(1, 13)]
                 + ["已收月数", "已收合计（元）", "应交合计（元）"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for member in data.people:
        cells = [data.payments.get((member.id, month)) for month in range(1, 13)]
        confirmed = [p for p in cells if p is not None and p.status is DuesStatus.CONFIRMED]
        total = sum(p.amount_fen or 0 for p in confirmed)
        append(sheet, [member.name, yuan(member.dues_fen)] + [cell_mark(p) for p in cells]
                     + [len(confirmed), yuan(total), yuan(data.expected_fen.get(member.id))])
    sheet.column_dimensions["A"].width = 12
    out = BytesIO()
    book.save(out)
    return out.getvalue()
