"""/report: a thought report in as many messages and photos as needed, then 提交 (the drafting is
handlers/drafting.py's; handlers/review.py shows the secretary's card)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import reports as cb
from bot.context import ZhibuContext
from bot.services import reports
from handlers import drafting
from handlers.telegram.common import guarded, require_private
from handlers.telegram.presses import Press, presses


@guarded
async def report_command(update: Update, context: ZhibuContext) -> None:
    """/report: the report under way (or returned), else a new one."""
    require_private(update)
    await drafting.show(update, context, await reports.start(context.svc, update.effective_user.id))


PRESSES = (Press(cb.start, reports.start, None, drafting.show,
                 "写思想汇报 under a reminder: as /report."),)


FORMS = (drafting.form(reports.DRAFT, resume="/report"),)


def handlers() -> list:
    return [CommandHandler("report", report_command), *presses(PRESSES)]
