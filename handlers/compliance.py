"""/compliance [quarter]: 三会一课完成情况 for the committee."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import ZhibuContext
from bot.services import compliance
from handlers.telegram.common import guarded, reply


@guarded
async def compliance_command(update: Update, context: ZhibuContext) -> None:
    """/compliance [2026Q4 | 2026H2]: per required meeting, what was held, approved, missing, still possible."""
    result = await compliance.report(context.svc, update.effective_user.id,
                                     " ".join(context.args) if context.args else None)
    await reply(update, context, "compliance/report.j2", period=result.period, kinds=result.kinds,
                labels=result.labels, theme_late=result.theme_late, group_days=result.group_days)


def handlers() -> list:
    return [CommandHandler("compliance", compliance_command)]
