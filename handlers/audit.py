"""/audit: the audit log in Chinese — a secretary's branch, an officer's subtree — newest first, a page at a time."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import audit as cb
from bot.context import ZhibuContext
from bot.outgoing import Button, button
from bot.services import audit_log
from handlers.telegram.common import edit, guarded, on_press, pressed, reply


def _rows(page: audit_log.Page) -> list[list[Button]]:
    row = []
    if page.number > 0:
        row.append(button("audit/newer", cb.page(page.number - 1)))
    if page.has_next:
        row.append(button("audit/older", cb.page(page.number + 1)))
    return [row] if row else []


@guarded
async def show_audit(update: Update, context: ZhibuContext) -> None:
    """/audit: the newest page."""
    page = await audit_log.page_for(context.svc, update.effective_user.id)
    await reply(update, context, "audit/page.j2", _rows(page), page=page, tz=context.svc.settings.tz)


@guarded
async def page_pressed(update: Update, context: ZhibuContext) -> None:
    """上一页 / 下一页: another page, in place (the scope re-checked)."""
    (number,) = pressed(update, cb.page)
    page = await audit_log.page_for(context.svc, update.effective_user.id, number)
    await update.callback_query.answer()
    await edit(update, "audit/page.j2", _rows(page), page=page, tz=context.svc.settings.tz)


def handlers() -> list:
    return [CommandHandler("audit", show_audit), on_press(cb.page, page_pressed)]
