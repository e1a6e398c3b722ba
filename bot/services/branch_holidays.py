"""/settings → 🗓 节假日: this year's national holidays as the calendar knows them, and the branch's own extra days
off and days worked on top — the same MeetingRules.holidays / workdays `zhibu meetings rules --holiday/--workday`
sets, changed through bot/services/meeting_rules.py (one transaction, audited). Every step is re-authorised
(secretary or deputy of this branch)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.domain import dates, when
from bot.domain.holidays import (
    DAY_KIND_LABELS,
    DayKind,
    WorkCalendar,
    national_year,
    with_own_day,
)
from bot.errors import UserError
from bot.services import Services, meeting_rules, membership, policy, workdays
from storage import branches, conversations

FORM = "settings_holiday"


day_text = dates.full_day_weekday


def day_code(day: date) -> int:
    """A day as a button carries it: 20270102."""
    return day.year * 10000 + day.month * 100 + day.day


def day_of_code(code: int) -> date:
    try:
        return date(code // 10000, code // 100 % 100, code % 100)
    except (ValueError, OverflowError):  # a forged press may carry any integer
        raise UserError("common/stale.j2") from None


async def _today(svc: Services, branch_id: int) -> date:
    branch = await branches.get(svc.db, branch_id)
    return svc.now().astimezone(ZoneInfo(branch.tz or svc.settings.tz)).date()


async def overview(svc: Services, telegram_id: int) -> dict:
    """The screen's params: this year's national calendar (or that it is not known) and the branch's own days."""
    actor = await membership.approver(svc, telegram_id)
    rules = await policy.rules_of(svc.db, actor.branch_id)
    today = await _today(svc, actor.branch_id)
    national = national_year(today.year, await workdays.of_branch(svc.db, actor.branch_id, today))
    own = sorted([(d, DayKind.OFF) for d in rules.holidays] + [(d, DayKind.ON) for d in rules.workdays])
    return {"year": national.year, "known": national.known, "source": national.source,
            "holidays": national.holidays, "swapped": national.swapped_workdays,
            "own": [(day_text(d), dates.full_day(d), day_code(d), DAY_KIND_LABELS[k]) for d, k in own]}


async def begin_add(svc: Services, telegram_id: int) -> None:
    """➕ 添加: the secretary's next message is the day."""
    await membership.approver(svc, telegram_id)
    async with svc.db.write() as tx:
        await conversations.save(tx, telegram_id, FORM, "day", {}, svc.now())


async def read_day(svc: Services, telegram_id: int, text: str | None) -> dict:
    """The typed day ("1月2日", "2027-01-02"): the form ends and the secretary picks 放假 or 上班; a day not
    understood is refused politely and the form waits for another."""
    actor = await membership.approver(svc, telegram_id)
    day = when.read_day(text or "", await _today(svc, actor.branch_id))
    if isinstance(day, when.Refusal):
        raise UserError("branch_settings/bad_day.j2")
    async with svc.db.write() as tx:
        await conversations.clear(tx, telegram_id)
    calendar = WorkCalendar(layers=await workdays.layers_of_branch(svc.db, actor.branch_id, day))
    return {"day": day_text(day), "code": day_code(day), "known": calendar.knows(day.year),
            "working": calendar.is_working_day(day), "holiday": calendar.holiday_name(day)}


async def put(svc: Services, telegram_id: int, code: int, kind: DayKind) -> dict:
    """放假 / 上班 pressed: the day joins the branch's own days of that kind (leaving the other), audited."""
    actor = await membership.approver(svc, telegram_id)
    day = day_of_code(code)

    def edit(rules):
        holidays, workdays = with_own_day(rules.holidays, rules.workdays, day, kind)
        return rules.model_copy(update={"holidays": holidays, "workdays": workdays})

    await meeting_rules.change(svc, actor.branch_id, edit, actor.id)
    return await overview(svc, telegram_id)


async def drop(svc: Services, telegram_id: int, code: int) -> dict:
    """❌ a day: it is no longer the branch's own (the national calendar alone decides it), audited."""
    actor = await membership.approver(svc, telegram_id)
    day = day_of_code(code)
    await meeting_rules.change(svc, actor.branch_id, lambda r: r.model_copy(update={
        "holidays": [d for d in r.holidays if d != day], "workdays": [d for d in r.workdays if d != day]}), actor.id)
    return await overview(svc, telegram_id)
