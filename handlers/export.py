"""/export NAME PERIOD: the record books as files, for the secretary (and committee members)."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.context import ZhibuContext
from bot.errors import UserError
from bot.exports import unit as unit_exports
from bot.services import membership
from handlers import filing
from handlers.telegram.common import guarded, reply


@guarded
async def export(update: Update, context: ZhibuContext) -> None:
    """The requested record book as a document (an officer outside a branch committee: their unit's registers)."""
    if await unit_exports.exports_for_unit(context.svc, update.effective_user.id):
        await filing.unit_export(update, context)
        return
    member = await membership.active_member(context.svc, update.effective_user.id)
    if not member.is_committee:
        raise UserError("common/not_allowed.j2")
    available = context.svc.features.exporters
    if len(context.args) != 2 or context.args[0] not in available:
        await reply(update, context, "export/usage.j2", exporters=list(available.values()))
        return
    exporter = available[context.args[0]]
    if exporter.approvers_only and not member.is_approver:
        raise UserError("common/not_allowed.j2")
    try:
        period = exporter.parse(context.args[1])
    except ValueError as exc:
        raise UserError("export/bad_period.j2", reason=str(exc), exporter=exporter) from None
    file = await exporter.build(context.svc, member.branch_id, period)
    await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(file.data), filename=file.filename),
                                    caption=f"{exporter.label} {context.args[1]}")


def handlers() -> list:
    return [CommandHandler("export", export)]
