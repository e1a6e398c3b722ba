"""党费 (party dues): paid monthly on the theme day, reported by the member, confirmed by the 组织委员 or the
secretary, or recorded as paid by someone else (代缴). The bot records; it moves no money (pure)."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pydantic import BaseModel

from bot.domain.roles import APPROVER_ROLES, Role

# Who confirms payments and records 代缴: the 组织委员 collects the dues (DOMAIN.md), the secretary and deputy too.
COLLECTOR_ROLES = APPROVER_ROLES | {Role.ORGANIZER}
DUES_MAX_FEN = 10_000_00  # ¥10,000 a month: anything above is a typing mistake
PAID_BY_MAX = 20


class DuesStatus(StrEnum):
    REPORTED = "reported"  # the member said they paid
    CONFIRMED = "confirmed"  # the collector has it


class DuesPayment(BaseModel):
    member_id: int
    period: str  # '2026-12'
    branch_id: int
    status: DuesStatus
    amount_fen: int | None
    paid_by: str | None
    reported_at: datetime | None
    confirmed_by: int | None
    confirmed_at: datetime | None


def is_collector(roles: frozenset[Role]) -> bool:
    return bool(roles & COLLECTOR_ROLES)


def yuan(fen: int | None) -> str:
    """'12.50' for 1250 fen; '' when not set."""
    if fen is None:
        return ""
    return f"{Decimal(fen) / 100:.2f}"


def parse_yuan(text: str) -> int:
    """'12.5', '12.50元', '￥12', '0.2' → fen; ValueError for anything else, negative or over the limit."""
    cleaned = re.sub(r"\s+|元|[¥￥]", "", text or "")
    if not re.fullmatch(r"\d{1,6}(\.\d{1,2})?", cleaned):
        raise ValueError(text)
    try:
        fen = int(Decimal(cleaned) * 100)
    except InvalidOperation:
        raise ValueError(text) from None
    if fen <= 0 or fen > DUES_MAX_FEN:
        raise ValueError(text)
    return fen


def period_of(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def period_code(period: str) -> int:
    """'2026-12' → 202612, for callback data (digits only)."""
    return int(period.replace("-", ""))


def period_from_code(code: int) -> str:
    year, month = divmod(code, 100)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(code)
    return period_of(year, month)


def differs(standard_fen: int | None, payment: DuesPayment | None) -> bool:
    """The amount given for the month is not the member's standard (both known): the collector should look."""
    return (standard_fen is not None and payment is not None and payment.amount_fen is not None
            and payment.amount_fen != standard_fen)


def months_due(year: int, now: datetime) -> int:
    """How many months of `year` are due by `now` (the branch's local time): all 12 of a past year, the months so
    far of this one, none of a year ahead."""
    if year < now.year:
        return 12
    return now.month if year == now.year else 0


def expected_fen(standard_fen: int | None, year: int, now: datetime) -> int | None:
    """The year's dues expected from a member so far at their standard; None when no standard is set."""
    return None if standard_fen is None else standard_fen * months_due(year, now)


def unpaid(member_ids: list[int], payments: dict[int, DuesPayment]) -> list[int]:
    """Members with no confirmed or reported payment for the month (a report waits for confirmation, but the
    member did their part: they are not chased)."""
    return [i for i in member_ids if i not in payments]
