"""/notice: write → preview (audience, group) → send; 已读 receipts, live counts and 催读."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.outgoing import Button
from bot.render import render
from bot.services import notices
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, keyboard, reply, toast
from handlers.forms import register_form
from storage import branches

log = logging.getLogger(__name__)


def _preview_rows(notice: notices.Notice, has_group: bool) -> list[list[Button]]:
    audience = [Button(label=("✅ " if notice.audience == key else "") + label, data=f"nt:a:{notice.id}:{key}")
                for key, label in notices.AUDIENCES.items()]
    rows = [audience[:2], audience[2:]]
    if has_group:
        rows.append([Button(label=("☑️" if notice.to_group else "⬜") + " 同时发到支部群", data=f"nt:g:{notice.id}")])
    rows.append([Button(label="📤 发送", data=f"nt:s:{notice.id}"), Button(label="✏️ 重写", data=f"nt:e:{notice.id}"),
                 Button(label="🗑 放弃", data=f"nt:d:{notice.id}")])
    return rows


def _status_rows(notice_id: int, unread: int) -> list[list[Button]]:
    row = [Button(label="🔄 刷新", data=f"nt:v:{notice_id}")]
    if unread:
        row.append(Button(label=f"📣 催读（{unread}人）", data=f"nt:n:{notice_id}"))
    return [row]


async def _preview(update: Update, context: ZhibuContext, notice: notices.Notice, as_edit: bool) -> None:
    branch = await branches.get(context.svc.db, notice.branch_id)
    params = {"notice": notice, "audience": notices.AUDIENCES[notice.audience],
              "count": await notices.recipient_count(context.svc, notice)}
    rows = _preview_rows(notice, branch.group_chat_id is not None)
    if as_edit:
        await edit(update, "notices/preview.j2", rows, **params)
    else:
        await reply(update, context, "notices/preview.j2", rows, **params)


@guarded
async def start_notice(update: Update, context: ZhibuContext) -> None:
    """/notice: ask for the notice's content."""
    await notices.begin(context.svc, update.effective_user.id)
    await reply(update, context, "notices/ask_body.j2", max=notices.BODY_MAX)


async def body_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """Text, or a photo/file with a caption, becomes the draft; then the preview."""
    if conversation.step != "body":
        raise UserError("notices/use_buttons.j2")
    message = update.message
    file_id, file_kind = None, None
    if message.photo:
        file_id, file_kind = message.photo[-1].file_id, "photo"
    elif message.document:
        file_id, file_kind = message.document.file_id, "document"
    elif message.location:
        raise UserError("notices/empty.j2")
    notice = await notices.draft(context.svc, update.effective_user.id, message.text or message.caption, file_id,
                                 file_kind)
    await _preview(update, context, notice, as_edit=False)


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """Preview options, send, read receipts, status refresh and 催读 — each re-authorised."""
    parts = callback_parts(update, "nt")
    if len(parts) < 2:
        raise UserError("common/stale.j2")
    action, notice_id, user_id, svc = parts[0], int_or_stale(parts[1]), update.effective_user.id, context.svc
    query = update.callback_query
    if action == "a" and len(parts) == 3:
        notice = await notices.set_options(svc, user_id, notice_id, audience=parts[2])
        await query.answer()
        await _preview(update, context, notice, as_edit=True)
    elif action == "g":
        notice = await notices.set_options(svc, user_id, notice_id, toggle_group=True)
        await query.answer()
        await _preview(update, context, notice, as_edit=True)
    elif action == "s":
        sent = await notices.send(svc, user_id, notice_id)
        await toast(update, "notice_sent", recipients=sent.recipients)
        await edit(update, "notices/sent.j2", notice=sent.notice, recipients=sent.recipients)
        status = await reply(update, context, "notices/status.j2", _status_rows(notice_id, sent.counts.unread),
                             counts=sent.counts, unread_names=[])
        await notices.remember_status_message(svc, notice_id, status.chat_id, status.message_id)
    elif action in ("e", "d"):
        if action == "e":
            await notices.rewrite(svc, user_id, notice_id)
            await query.answer()
            await edit(update, "notices/ask_body.j2", max=notices.BODY_MAX)
        else:
            await notices.discard(svc, user_id, notice_id)
            await toast(update, "notice_discarded")
            await edit(update, "notices/discarded.j2")
    elif action == "r":
        result = await notices.mark_read(svc, user_id, notice_id)
        await toast(update, "notice_read", newly=result.newly_read)
        await query.edit_message_reply_markup(None)
        if result.newly_read:
            await _refresh_author_status(context, result.notice, result.counts)
    elif action in ("v", "n"):
        if action == "n":
            queued = await notices.nudge_unread(svc, user_id, notice_id)
            await query.answer(f"已催读 {queued} 人")
        else:
            await query.answer()
        state = await notices.status(svc, user_id, notice_id)
        await edit(update, "notices/status.j2", _status_rows(notice_id, state.counts.unread), counts=state.counts,
                   unread_names=state.unread_names)
    else:
        raise UserError("common/stale.j2")


async def _refresh_author_status(context: ZhibuContext, notice: notices.Notice, counts: notices.ReadCounts) -> None:
    """Live counts: edit the secretary's status message; a failure here must not undo the read."""
    if notice.status_chat_id is None or notice.status_message_id is None:
        return
    try:
        await context.bot.edit_message_text(
            render("notices/status.j2", counts=counts, unread_names=[]), chat_id=notice.status_chat_id,
            message_id=notice.status_message_id, parse_mode=ParseMode.HTML,
            reply_markup=keyboard(_status_rows(notice.id, counts.unread)),
        )
    except TelegramError:
        log.info("could not refresh the read count of notice %s", notice.id, exc_info=True)


register_form("notice", body_step)


def handlers() -> list:
    return [CommandHandler("notice", start_notice), CallbackQueryHandler(on_button, pattern=r"^nt:")]
