"""/report: a thought report in as many messages and photos as needed, then 提交 (the drafting is
handlers/drafting.py's; handlers/review.py shows the secretary's card)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import reports as cb
from bot.context import ZhibuContext
from bot.services import reports
from handlers import drafting
from handlers.telegram.common import guarded, on_press, pressed, require_private


@guarded
async def report_command(update: Update, context: ZhibuContext) -> None:
    """/report: the report under way (or returned), else a new one."""
    require_private(update)
    await drafting.show(update, context, await reports.start(context.svc, update.effective_user.id))


@guarded
async def write_pressed(update: Update, context: ZhibuContext) -> None:
    """写思想汇报 under a reminder: as /report."""
    pressed(update, cb.start)
    draft = await reports.start(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await drafting.show(update, context, draft)


FORMS = (drafting.form(reports.DRAFT, resume="/report"),)


def handlers() -> list:
    return [CommandHandler("report", report_command), on_press(cb.start, write_pressed)]
