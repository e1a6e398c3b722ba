"""/settings → 🗓 节假日: the national holidays of the year, the branch's own days off and days worked, a day
added by typing it (then 放假 or 上班) and removed with its ❌ (each press re-authorised, each change audited)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import settings as cb
from bot.context import ZhibuContext
from bot.domain.holidays import DAY_KIND_LABELS, DayKind
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import branch_holidays
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast


def _rows(params: dict) -> list[list[Button]]:
    drops = [button("settings/drop_day", cb.holiday_drop(code), day=short, kind=kind)
             for _, short, code, kind in params["own"]]
    return [[b] for b in drops] + [[button("settings/add_day", cb.holiday_add()), button("settings/back", cb.card())]]


@guarded
async def holidays_pressed(update: Update, context: ZhibuContext) -> None:
    """🗓 节假日: the calendar and the branch's own days, in place of the card."""
    params = await branch_holidays.overview(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await edit(update, "settings/holidays.j2", _rows(params), **params)


@guarded
async def add_pressed(update: Update, context: ZhibuContext) -> None:
    """➕ 添加: ask for the day."""
    await branch_holidays.begin_add(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await reply(update, context, "settings/ask_day.j2")


async def day_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The typed day: 放假 or 上班?"""
    info = await branch_holidays.read_day(context.svc, update.effective_user.id,
                                          update.message.text if update.message else None)
    rows = [[button("settings/day_kind", cb.holiday_put(info["code"], kind), kind=DAY_KIND_LABELS[kind])
             for kind in DayKind], [button("settings/back_holidays", cb.holidays())]]
    await reply(update, context, "settings/day_kind.j2", rows, **info)


@guarded
async def put_pressed(update: Update, context: ZhibuContext) -> None:
    """放假 / 上班: saved, then the holidays screen with the day among the branch's own."""
    code, kind = pressed(update, cb.holiday_put)
    params = await branch_holidays.put(context.svc, update.effective_user.id, code, kind)
    await toast(update, "settings_saved", label=branch_holidays.day_text(branch_holidays.day_of_code(code)),
                value=DAY_KIND_LABELS[kind])
    await edit(update, "settings/holidays.j2", _rows(params), **params)


@guarded
async def drop_pressed(update: Update, context: ZhibuContext) -> None:
    """❌ a day: removed, the screen again."""
    (code,) = pressed(update, cb.holiday_drop)
    params = await branch_holidays.drop(context.svc, update.effective_user.id, code)
    await toast(update, "settings_day_dropped", day=branch_holidays.day_text(branch_holidays.day_of_code(code)))
    await edit(update, "settings/holidays.j2", _rows(params), **params)


FORMS = (Form(branch_holidays.FORM, day_step),)


def handlers() -> list:
    return [on_press(cb.holidays, holidays_pressed), on_press(cb.holiday_add, add_pressed),
            on_press(cb.holiday_put, put_pressed), on_press(cb.holiday_drop, drop_pressed)]
