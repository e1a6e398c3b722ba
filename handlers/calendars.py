"""The county's holiday arrangement in chat: /holidays (whose arrangement this year and next follow), 📋 录入节假日
安排, and a pasted or forwarded notice — a preview first, then 确认录入 / 放弃 (each press re-authorised)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.callbacks import calendars as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import calendars, conversations, units
from handlers import forms
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.presses import Press, edits, presses, replies

# A pasted or forwarded notice is recognised by its title, wherever the officer is.
NOTICE_TITLE = r"节假日安排"


def _preview_rows(params: dict) -> list[list[Button]]:
    return [[button("calendars/confirm", cb.confirm(t["unit_id"], params["year"]), unit=t["unit"],
                    replacing=t["replacing"])] for t in params["targets"] if not t["unchanged"]] + \
        [[button("calendars/discard", cb.discard())]]


async def _preview(update: Update, context: ZhibuContext, text: str | None) -> None:
    shown = await calendars.notice_typed(context.svc, update.effective_user.id, text)
    params = calendars.preview_params(shown)
    await reply(update, context, "calendars/preview.j2", _preview_rows(params), **params)


@guarded
async def show_status(update: Update, context: ZhibuContext) -> None:
    """/holidays: this year's and next year's arrangement, and the button that enters one."""
    if not await units.is_officer(context.svc, update.effective_user.id):
        await reply(update, context, "calendars/not_officer.j2")
        return
    years = await calendars.status(context.svc, update.effective_user.id)
    await reply(update, context, "calendars/status.j2", [[button("calendars/begin", cb.begin())]], years=years)


async def notice_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The officer's message while entering: the notice, previewed."""
    await _preview(update, context, update.message.text if update.message else None)


@guarded
async def notice_pasted(update: Update, context: ZhibuContext) -> None:
    """A notice pasted or forwarded outside the form: an officer sees the preview; someone filling in another form
    goes on with it; anyone else is told who enters the arrangement."""
    user = update.effective_user
    current = await conversations.current(context.svc, user.id)
    if current is not None and current.kind != calendars.FORM:
        await forms.on_input(update, context)
    elif not await units.is_officer(context.svc, user.id):
        await reply(update, context, "calendars/not_officer.j2")
    else:
        await _preview(update, context, update.message.text)


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """确认录入 / 替换: stored for that unit, what was planned converges, the secretaries are told."""
    unit_id, year = pressed(update, cb.confirm)
    await toast(update, "calendar_saving")
    entered = await calendars.confirm(context.svc, update.effective_user.id, unit_id, year)
    await edit(update, "calendars/entered.j2", unit=entered.unit.name, year=entered.year, changed=entered.changed,
               told=entered.branches_told)


async def _begin(svc, user_id: int) -> list:
    await calendars.begin(svc, user_id)
    return await calendars.status(svc, user_id)


PRESSES = (
    Press(cb.begin, _begin, None, replies("calendars/ask_notice.j2", params=lambda years: {"year": years[-1]["year"]}),
          "📋 录入节假日安排: ask for the notice."),
    Press(cb.discard, calendars.discard, None, edits("calendars/discarded.j2"), "放弃: nothing stored."),
)


FORMS = (Form(calendars.FORM, notice_step),)


def handlers() -> list:
    pasted = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & filters.Regex(NOTICE_TITLE)
    return [CommandHandler("holidays", show_status, filters.ChatType.PRIVATE), MessageHandler(pasted, notice_pasted),
            on_press(cb.confirm, confirm_pressed), *presses(PRESSES)]
