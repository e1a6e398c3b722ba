"""What the secretary may pick in /settings: a few sensible choices per setting, so a setting is changed by a tap
and never typed wrong. Pure data and rules; the defaults are those of BranchSettings and MeetingRules."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.cadence import PER_LABELS, Cadence
from bot.domain.checkin_proof import Proof
from bot.domain.holidays import MOVE_LABELS, HolidayMove
from bot.domain.meetings import MeetingKind

QUIET_START = ("21:00", "22:00", "23:00")
QUIET_END = ("06:00", "07:00", "08:00")
DIGEST_TIME = ("07:30", "08:00", "08:30", "09:00", "12:00")
NUDGE_DAYS = (1, 2, 3, 5, 7)
MINUTES_DAYS = (2, 3, 5, 7, 10)
# The month's theme fixed by this day of the month (seed 002: the 5th); 0: the branch has no such rule.
THEME_DUE_DAYS = (3, 5, 7, 10, 15, 0)
NO_DUE_DAY = 0
AWAY_MAKEUP_LABELS = {True: "要补学", False: "不补学"}
# 思想汇报 of full members: once a quarter, half-year or year, or not asked (0; 预备党员 are asked regardless).
MEMBER_REPORT_LABELS = {3: "每季度 1 次", 6: "每半年 1 次", 12: "每年 1 次", 0: "不提醒"}
# How members prove presence at their own check-in (the venue's location is asked only where it is set).
PROOF_LABELS = {Proof.LOCATION: "核对位置", Proof.CODE: "签到码", Proof.EITHER: "位置或签到码", Proof.NONE: "不核验"}
CADENCE_KINDS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LECTURE,
                 MeetingKind.LIFE, MeetingKind.STUDY)
# Each cadence as `per_times`: once or twice a month / quarter / half-year / year, or not required.
CADENCES = ("month_1", "month_2", "quarter_1", "quarter_2", "half_1", "half_2", "year_1", "year_2", "none_0")
# 专题学习 is weekly in seed 002 (每周组织一次专题学习); a unit may ask it fortnightly or monthly instead.
STUDY_CADENCES = ("week_1", "fortnight_1", "month_2", "month_1", "none_0")


def cadence_codes(kind: MeetingKind) -> tuple[str, ...]:
    """The cadences a kind of meeting may be asked at."""
    return STUDY_CADENCES if kind is MeetingKind.STUDY else CADENCES


@dataclass(frozen=True)
class Choice:
    code: str  # what the button carries: 2200, 3, quarter_1
    label: str  # what it says: 22:00, 3 天, 每季度 1 次
    allowed: bool = True  # False: laxer than the units' policy (not offered; refused when pressed anyway)


def _time_choices(values: tuple[str, ...]) -> list[Choice]:
    return [Choice(v.replace(":", ""), v) for v in values]


def cadence_label(cadence: Cadence) -> str:
    return f"{PER_LABELS[cadence.per]} {cadence.times} 次" if cadence.times else "不要求"


def due_day_label(day: int | None) -> str:
    return f"每月 {day} 日前" if day else "不要求"


def cadence_of(code: str) -> Cadence | None:
    return _cadence(code) if code in CADENCES or code in STUDY_CADENCES else None


def _cadence(code: str) -> Cadence:
    """The cadence one of CADENCES stands for."""
    per, _, times = code.partition("_")
    return Cadence(per="year", times=0) if per == "none" else Cadence(per=per, times=int(times))


def choices(field: str) -> list[Choice]:
    """The options offered for one setting (an unknown field has none)."""
    if field == "quiet_start":
        return _time_choices(QUIET_START)
    if field == "quiet_end":
        return _time_choices(QUIET_END)
    if field == "digest_time":
        return _time_choices(DIGEST_TIME)
    if field == "notice_nudge_days":
        return [Choice(str(d), f"{d} 天") for d in NUDGE_DAYS]
    if field == "minutes_working_days":
        return [Choice(str(d), f"{d} 个工作日") for d in MINUTES_DAYS]
    if field == "theme_holiday_move":
        return [Choice(m.value, MOVE_LABELS[m]) for m in HolidayMove]
    if field == "theme_due_day":
        return [Choice(str(d), due_day_label(d)) for d in THEME_DUE_DAYS]
    if field == "away_makeup":
        return [Choice(str(int(b)), AWAY_MAKEUP_LABELS[b]) for b in (True, False)]
    if field == "member_report_months":
        return [Choice(str(m), label) for m, label in MEMBER_REPORT_LABELS.items()]
    if field == "checkin_proof":
        return [Choice(p.value, label) for p, label in PROOF_LABELS.items()]
    if field.startswith("cadence_") and field.removeprefix("cadence_") in {k.value for k in CADENCE_KINDS}:
        return [Choice(c, cadence_label(_cadence(c))) for c in cadence_codes(MeetingKind(field.removeprefix("cadence_")))]
    return []


def value_of(field: str, code: str) -> str | int | bool | HolidayMove | Proof | Cadence | None:
    """The setting's new value for a pressed choice, or None when the choice is not one offered (stale, forged);
    `theme_due_day`'s "no such rule" is NO_DUE_DAY (stored as None)."""
    if code not in {c.code for c in choices(field)}:
        return None
    if field == "theme_holiday_move":
        return HolidayMove(code)
    if field == "checkin_proof":
        return Proof(code)
    if field == "away_makeup":
        return code == "1"
    if field in ("quiet_start", "quiet_end", "digest_time"):
        return f"{code[:2]}:{code[2:]}"
    if field in ("notice_nudge_days", "minutes_working_days", "theme_due_day", "member_report_months"):
        return int(code)
    return cadence_of(code)
