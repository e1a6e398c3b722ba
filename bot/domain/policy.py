"""Unit policy (组织生活规定), inherited down the tree: what a unit's officers set for their subtree — the 三会一课
cadences, how "每月第一周" is read, the theme's due day, the minutes deadline, the theme day on a public holiday, the
check-in mode, the 优秀 share of the evaluation, and the days a unit has to review what is filed.

Root → 党委 → … → branch: the nearest unit that set a value wins, but a unit or branch below may only be stricter
(more meetings, an earlier deadline) — never laxer. A value set below and later made laxer by a stricter unit above
gives way to it. Two settings have no "stricter" (how the first week is read, the holiday rule): the nearest unit's
value holds, and a branch may choose only while no unit has. Pure rules: values are choice codes ("half_1", "5").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.domain.branch_settings import CADENCE_KINDS, MINUTES_DAYS, THEME_DUE_DAYS, cadence_codes
from bot.domain.cadence import DEFAULT_CADENCES, PER_YEAR, Cadence
from bot.domain.holidays import HolidayMove
from bot.domain.meetings import MeetingKind
from bot.domain.minutes import MeetingRules
from bot.domain.models import BranchSettings

CADENCE_FIELDS = tuple(f"cadence_{kind.value}" for kind in CADENCE_KINDS)
FIELDS = (*CADENCE_FIELDS, "theme_week", "theme_due_day", "minutes_working_days", "theme_holiday_move", "checkin",
          "excellent_pct", "review_days")
# What a branch chooses itself in /settings (stricter than its units only); the others are the units' alone.
BRANCH_FIELDS = (*CADENCE_FIELDS, "theme_due_day", "minutes_working_days", "theme_holiday_move", "excellent_pct")
UNORDERED = frozenset({"theme_week", "theme_holiday_move"})  # no "stricter": the nearest unit decides

THEME_WEEKS = ("first", "full")  # the first such weekday (a week begun last month counts) / of the first full week
# Weakest first (bot/domain/checkin_proof.py's Proof): none, the venue's location or the code, the location (every
# theme day then needs a venue), the code shown at the venue (a point picked on the map proves less than a code
# read out in the room). A branch's own 签到方式 holds where at least as strict.
CHECKIN_MODES = ("none", "either", "location", "code")
EXCELLENT_PCTS = (10, 15, 20, 25, 30)
REVIEW_DAYS = (1, 2, 3, 5, 7)

_CHOICES: dict[str, tuple[str, ...]] = {
    **{f"cadence_{kind.value}": cadence_codes(kind) for kind in CADENCE_KINDS},
    "theme_week": THEME_WEEKS,
    "theme_due_day": tuple(str(day) for day in THEME_DUE_DAYS),
    "minutes_working_days": tuple(str(days) for days in MINUTES_DAYS),
    "theme_holiday_move": tuple(move.value for move in HolidayMove),
    "checkin": CHECKIN_MODES,
    "excellent_pct": tuple(str(pct) for pct in EXCELLENT_PCTS),
    "review_days": tuple(str(days) for days in REVIEW_DAYS),
}


def cadence_code(cadence: Cadence) -> str:
    return f"{cadence.per}_{cadence.times}" if cadence.times else "none_0"


def cadence_of(code: str) -> Cadence:
    """The cadence a code stands for ("half_1", "none_0"); ValueError for anything else."""
    per, _, times = code.partition("_")
    if per == "none":
        return Cadence(per="year", times=0)
    return Cadence(per=per, times=int(times))


def kind_of(field: str) -> MeetingKind:
    return MeetingKind(field.removeprefix("cadence_"))


DEFAULTS: dict[str, str] = {
    **{f"cadence_{kind.value}": cadence_code(cadence) for kind, cadence in DEFAULT_CADENCES.items()
       if kind in CADENCE_KINDS},
    "theme_week": "first", "theme_due_day": "0", "minutes_working_days": "3",
    "theme_holiday_move": HolidayMove.NEXT_WORKDAY.value, "checkin": "none", "excellent_pct": "20", "review_days": "3",
}


def choices(field: str) -> tuple[str, ...]:
    """Every value a setting may take (an unknown field has none)."""
    return _CHOICES.get(field, ())


def valid(field: str, code: str) -> bool:
    return code in choices(field)


def rank(field: str, code: str) -> tuple[int, int]:
    """How strict a value is: higher is stricter (unordered settings are all equal)."""
    if field in UNORDERED:
        return (0, 0)
    if field in CADENCE_FIELDS:
        cadence = cadence_of(code)
        windows = PER_YEAR[cadence.per]
        # A year's worth of meetings first; of two as many, the shorter window asks more (每季度 1 次 over 每半年 2 次,
        # 每两周 1 次 over 每月 2 次).
        return (cadence.times * windows, windows) if cadence.times else (0, 0)
    if field == "checkin":
        return (CHECKIN_MODES.index(code), 0)
    if field == "theme_due_day":
        return (-int(code) if code != "0" else -100, 0)  # no due day is the laxest
    return (-int(code), 0)  # minutes, 优秀 share, review days: fewer is stricter


def at_least(field: str, code: str, floor: str) -> bool:
    """`code` is as strict as `floor` or stricter."""
    return rank(field, code) >= rank(field, floor)


@dataclass(frozen=True)
class Ruling:
    """A setting's value in force and where it comes from: a unit, the branch's own stricter choice, or (neither)
    the built-in default."""

    code: str
    unit_id: int | None = None
    own: bool = False

    @property
    def is_default(self) -> bool:
        return self.unit_id is None and not self.own


Rulings = dict[str, Ruling]


def defaults() -> Rulings:
    return {field: Ruling(DEFAULTS[field]) for field in FIELDS}


def resolve(layers: Iterable[tuple[int, Mapping[str, str]]], above: Rulings | None = None) -> Rulings:
    """The rulings for a unit's subtree from the values set along its chain, root first (`above`: what holds above
    the first of them). Nearest wins; for an ordered setting only when at least as strict as what holds above."""
    found = dict(above) if above is not None else defaults()
    for unit_id, values in layers:
        for field, code in values.items():
            if field in found and valid(field, code) and at_least(field, code, found[field].code):
                found[field] = Ruling(code, unit_id)
    return found


def for_branch(units: Rulings, own: Mapping[str, str]) -> Rulings:
    """A branch's rulings: its units' with its own choices where it may make them — a stricter value of an ordered
    setting, any value of an unordered one no unit has set."""
    found = dict(units)
    for field, code in own.items():
        if field not in BRANCH_FIELDS or (field not in CADENCE_FIELDS and not valid(field, code)):
            continue  # a cadence the command line set ("quarter_3") is no choice but still a cadence
        ruling = units[field]
        if field in UNORDERED:
            if ruling.unit_id is None:
                found[field] = Ruling(code, None, own=True)
        elif rank(field, code) > rank(field, ruling.code):
            found[field] = Ruling(code, None, own=True)
    return found


def branch_offer(field: str, units: Rulings) -> tuple[str, ...]:
    """The values a branch may choose for a setting under its units' rulings (none for a setting not its own)."""
    if field not in BRANCH_FIELDS:
        return ()
    ruling = units[field]
    if field in UNORDERED:
        return choices(field) if ruling.unit_id is None else ()
    return tuple(code for code in choices(field) if at_least(field, code, ruling.code))


def unit_offer(field: str, above: Rulings) -> tuple[str, ...]:
    """The values a unit may set for its subtree under the rulings of the units above it."""
    if field in UNORDERED:
        return choices(field)
    return tuple(code for code in choices(field) if at_least(field, code, above[field].code))


def changed(before: Rulings, after: Rulings) -> list[str]:
    """The settings whose value in force differs (the source alone changing is no change for a branch)."""
    return [field for field in FIELDS if before[field].code != after[field].code]


# --- a branch's own choices, and the rules it is judged by ------------------------------------------------------

RULES_FIELDS = (*CADENCE_FIELDS, "minutes_working_days")  # kept in MeetingRules
SETTINGS_FIELDS = ("theme_due_day", "theme_holiday_move", "excellent_pct")  # kept in BranchSettings


def stored_values(rules: MeetingRules, settings: BranchSettings) -> dict[str, str]:
    values = {f"cadence_{kind.value}": cadence_code(rules.cadences.get(kind) or DEFAULT_CADENCES[kind])
              for kind in CADENCE_KINDS}
    return {**values, "minutes_working_days": str(rules.minutes_working_days),
            "theme_due_day": str(settings.theme_due_day or 0), "theme_holiday_move": settings.theme_holiday_move.value,
            "excellent_pct": str(settings.evaluation_excellent_max_pct)}


def branch_own(rules: MeetingRules, settings: BranchSettings) -> dict[str, str]:
    """The values the branch chose itself: those its `own` lists name (before policies: those not the default)."""
    stored = stored_values(rules, settings)
    chosen: set[str] = set()
    for own, fields in ((rules.own, RULES_FIELDS), (settings.own, SETTINGS_FIELDS)):
        chosen |= set(own) & set(fields) if own is not None else {f for f in fields if stored[f] != DEFAULTS[f]}
    return {field: stored[field] for field in chosen}


def own_after(own: list[str] | None, fields: tuple[str, ...], stored: dict[str, str], field: str,
              chosen: bool) -> list[str]:
    """A branch's `own` list once `field` is chosen (or given back to the units): a list from before policies is
    first written out as what it stood for."""
    current = set(own) if own is not None else {f for f in fields if stored[f] != DEFAULTS[f]}
    return sorted(current | {field} if chosen else current - {field})


def apply_rules(rules: MeetingRules, rulings: Rulings) -> MeetingRules:
    """The branch's meeting rules with the cadences and minutes deadline in force."""
    cadences = {**rules.cadences, **{kind_of(f): cadence_of(rulings[f].code) for f in CADENCE_FIELDS}}
    return rules.model_copy(update={"cadences": cadences,
                                    "minutes_working_days": int(rulings["minutes_working_days"].code)})


def apply_settings(settings: BranchSettings, rulings: Rulings) -> BranchSettings:
    """The branch's settings with the theme due day, holiday rule and 优秀 share in force."""
    due = int(rulings["theme_due_day"].code)
    return settings.model_copy(update={"theme_due_day": due or None,
                                       "theme_holiday_move": HolidayMove(rulings["theme_holiday_move"].code),
                                       "evaluation_excellent_max_pct": int(rulings["excellent_pct"].code)})
