"""党费交纳登记表: a branch's dues of one year as an XLSX register — one row per member, one column per month, the
member's monthly standard, and what was received beside what is expected at that standard for the months due.
Amounts are numbers (in 元), so the office's own sums work on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.documents.sheets import Column, Table, workbook
from bot.domain import dates
from bot.domain.dues import DuesPayment, DuesStatus
from bot.domain.models import Member

LABEL = "党费交纳登记表"
REPORTED = "待确认"
PAID = "√"  # confirmed, the amount not given
ON_BEHALF_FORMAT = '0.00"*"'  # still a number; the star points to the note naming who paid for the member
COLUMNS = (Column("姓名", 10), Column("党费标准\n（元/月）", 10, "money"),
           *(Column(dates.month_named(month), 8, "money") for month in range(1, 13)),
           Column("已收\n月数", 6, "number"), Column("已收合计\n（元）", 10, "money"), Column("应交合计\n（元）", 10, "money"))


@dataclass(frozen=True)
class Year:
    branch: str
    year: int
    as_of: date
    people: list[Member]  # in register order
    payments: dict[tuple[int, int], DuesPayment]  # (member id, month) → payment
    expected_fen: dict[int, int | None]  # member id → what is due this year at their standard, so far


def money(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


def cell_value(payment: DuesPayment | None) -> float | str | None:
    """What the register shows for one member in one month: the amount received, 待确认, or √."""
    if payment is None:
        return None
    if payment.status is DuesStatus.REPORTED:
        return REPORTED
    if payment.amount_fen is None:
        return f"{PAID}*" if payment.paid_by else PAID
    return money(payment.amount_fen)


def register(data: Year) -> bytes:
    rows, formats, on_behalf = [], {}, []
    for index, member in enumerate(data.people):
        cells = [data.payments.get((member.id, month)) for month in range(1, 13)]
        confirmed = [p for p in cells if p is not None and p.status is DuesStatus.CONFIRMED]
        for month, payment in enumerate(cells, start=1):
            if payment is not None and payment.status is DuesStatus.CONFIRMED and payment.paid_by:
                formats[(index, month + 1)] = ON_BEHALF_FORMAT
                on_behalf.append(f"{member.name} {dates.month_named(month)}由{payment.paid_by}代缴")
        rows.append([member.name, money(member.dues_fen), *[cell_value(p) for p in cells], len(confirmed),
                     money(sum(p.amount_fen or 0 for p in confirmed)), money(data.expected_fen.get(member.id))])
    notes = [f"说明：金额单位为元，为已确认收到的党费；“{REPORTED}”为本人报已交、尚待确认；“{PAID}”为已收、未记金额；"
             f"应交合计按党费标准计至 {dates.padded_year_month(data.as_of)}。"]
    if on_behalf:
        notes.append("* 代缴：" + "；".join(on_behalf) + "。")
    return workbook([Table("党费登记", f"{data.branch} {data.year}年 党费交纳登记表", COLUMNS, rows,
                           subtitle=f"统计至 {dates.padded_full_day(data.as_of)}", notes=notes, formats=formats)])
