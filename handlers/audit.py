"""/audit: the audit log in Chinese — a secretary's branch, an officer's subtree — newest first, a page at a time."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import audit as cb
from bot.context import ZhibuContext
from bot.outgoing import Button, button
from bot.services import audit_log
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses


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


async def _page(svc, user_id: int, number: int) -> tuple:
    return await audit_log.page_for(svc, user_id, number), svc.settings.tz


PRESSES = (Press(cb.page, _page, None, edits("audit/page.j2", lambda f: _rows(f[0]), lambda f: {"page": f[0], "tz": f[1]}),
                 "上一页 / 下一页: another page, in place (the scope re-checked)."),)


def handlers() -> list:
    return [CommandHandler("audit", show_audit), *presses(PRESSES)]
