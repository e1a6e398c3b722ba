"""/settings → 🗓 节假日: the national holidays of the year, the branch's own days off and days worked, a day
added by typing it (then 放假 or 上班) and removed with its ❌ (each press re-authorised, each change audited)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import branch_settings as cb
from bot.context import ZhibuContext
from bot.domain.holidays import DAY_KIND_LABELS, DayKind
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import branch_holidays
from handlers.telegram.common import reply
from handlers.telegram.presses import Press, edits, presses, replies


def _rows(params: dict) -> list[list[Button]]:
    drops = [button("branch_settings/drop_day", cb.holiday_drop(code), day=short, kind=kind)
             for _, short, code, kind in params["own"]]
    return [[b] for b in drops] + [[button("branch_settings/add_day", cb.holiday_add()), button("branch_settings/back", cb.card())]]


async def day_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The typed day: 放假 or 上班?"""
    info = await branch_holidays.read_day(context.svc, update.effective_user.id,
                                          update.message.text if update.message else None)
    rows = [[button("branch_settings/day_kind", cb.holiday_put(info["code"], kind), kind=DAY_KIND_LABELS[kind])
             for kind in DayKind], [button("branch_settings/back_holidays", cb.holidays())]]
    await reply(update, context, "branch_settings/day_kind.j2", rows, **info)


def _day(code: int) -> str:
    return branch_holidays.day_text(branch_holidays.day_of_code(code))


async def _put(svc, user_id: int, code: int, kind: DayKind) -> tuple:
    return code, kind, await branch_holidays.put(svc, user_id, code, kind)


async def _drop(svc, user_id: int, code: int) -> tuple:
    return code, await branch_holidays.drop(svc, user_id, code)


_SCREEN = edits("branch_settings/holidays.j2", _rows, lambda params: params)

PRESSES = (
    Press(cb.holidays, branch_holidays.overview, None, _SCREEN,
          "🗓 节假日: the calendar and the branch's own days, in place of the card."),
    Press(cb.holiday_add, branch_holidays.begin_add, None, replies("branch_settings/ask_day.j2"), "➕ 添加: ask for the day."),
    Press(cb.holiday_put, _put, lambda d: ("settings_saved", {"label": _day(d[0]), "value": DAY_KIND_LABELS[d[1]]}),
          edits("branch_settings/holidays.j2", lambda d: _rows(d[2]), lambda d: d[2]),
          "放假 / 上班: saved, then the holidays screen with the day among the branch's own."),
    Press(cb.holiday_drop, _drop, lambda d: ("settings_day_dropped", {"day": _day(d[0])}),
          edits("branch_settings/holidays.j2", lambda d: _rows(d[1]), lambda d: d[1]), "❌ a day: removed, the screen again."),
)


FORMS = (Form(branch_holidays.FORM, day_step),)


def handlers() -> list:
    return presses(PRESSES)
