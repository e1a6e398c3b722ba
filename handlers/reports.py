"""/report: a thought report in as many messages and photos as needed, then 提交 (handlers/review.py shows the
secretary's card)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import reports as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import reports
from handlers.telegram.common import (
    edit,
    guarded,
    on_press,
    pressed,
    reply,
    require_private,
    toast,
)


def _rows(draft: reports.Draft) -> list[list[Button]]:
    sid = draft.submission.id
    row = [button("reports/submit", cb.submit(sid))]
    if draft.text or draft.photos:
        row.append(button("reports/clear", cb.clear(sid)))
    return [row]


async def _ask(update: Update, context: ZhibuContext, draft: reports.Draft) -> None:
    await reply(update, context, "reports/ask.j2", _rows(draft), text=draft.text, photos=draft.photos,
                status=draft.submission.status.value, comment=draft.submission.comment,
                handed_in=draft.handed_in, last_day=draft.last_day)


@guarded
async def report_command(update: Update, context: ZhibuContext) -> None:
    """/report: the report under way (or returned), else a new one."""
    require_private(update)
    await _ask(update, context, await reports.start(context.svc, update.effective_user.id))


@guarded
async def write_pressed(update: Update, context: ZhibuContext) -> None:
    """写思想汇报 under a reminder: as /report."""
    pressed(update, cb.start)
    draft = await reports.start(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await _ask(update, context, draft)


async def content_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """A piece of the report (text, or a photo with its caption): kept at once."""
    message = update.message
    file = (message.photo[-1].file_id, "photo") if message.photo else (
        (message.document.file_id, "document") if message.document else None)
    draft = await reports.add(context.svc, update.effective_user.id, conversation.data,
                              message.text or message.caption, file)
    await reply(update, context, "reports/kept.j2", _rows(draft), text=draft.text, photos=draft.photos)


@guarded
async def submit_pressed(update: Update, context: ZhibuContext) -> None:
    """提交: the report goes to the secretary."""
    (submission_id,) = pressed(update, cb.submit)
    await reports.submit(context.svc, update.effective_user.id, submission_id)
    await toast(update, "report_submitted")
    await edit(update, "reports/submitted.j2")


@guarded
async def clear_pressed(update: Update, context: ZhibuContext) -> None:
    """清空重写: start the report again."""
    (submission_id,) = pressed(update, cb.clear)
    draft = await reports.clear(context.svc, update.effective_user.id, submission_id)
    await update.callback_query.answer()
    await _ask(update, context, draft)


FORMS = (Form(reports.FORM, content_step, resume="/report"),)


def handlers() -> list:
    return [CommandHandler("report", report_command), on_press(cb.start, write_pressed),
            on_press(cb.submit, submit_pressed), on_press(cb.clear, clear_pressed)]
