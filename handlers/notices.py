"""/notice: write → preview (audience, group) → send; 已读 receipts, live counts and 催读."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.callbacks import notices as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.render import render
from bot.services import notices
from handlers.telegram.common import (
    drop_buttons,
    edit,
    guarded,
    keyboard,
    on_press,
    pressed,
    reply,
    toast,
)

log = logging.getLogger(__name__)


def _preview_rows(notice: notices.Notice, has_group: bool) -> list[list[Button]]:
    audience = [button("notices/audience", cb.audience(notice.id, key), key=key, chosen=notice.audience == key)
                for key in notices.AUDIENCES]
    rows = [audience[:2], audience[2:]]
    if has_group:
        rows.append([button("notices/to_group", cb.to_group(notice.id), on=notice.to_group)])
    rows.append([button("notices/send", cb.send(notice.id)), button("notices/rewrite", cb.rewrite(notice.id)),
                 button("notices/discard", cb.discard(notice.id))])
    return rows


def _status_rows(notice_id: int, unread: int) -> list[list[Button]]:
    row = [button("notices/refresh", cb.status(notice_id))]
    if unread:
        row.append(button("notices/nudge", cb.nudge(notice_id), unread=unread))
    return [row]


async def _preview(update: Update, context: ZhibuContext, notice: notices.Notice, as_edit: bool,
                   added: bool = False) -> None:
    branch = await notices.branch_of(context.svc, notice)
    params = {"notice": notice, "audience": notice.audience,
              "count": await notices.recipient_count(context.svc, notice), "added": added,
              "in_person": await notices.told_in_person(context.svc, notice)}
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
    """Text, or a photo/file with a caption, becomes the draft; more sent at the preview is appended to it (a
    notice may take several messages); each time the preview follows, and 发送 sends the whole."""
    message = update.message
    file_id, file_kind = None, None
    if message.photo:
        file_id, file_kind = message.photo[-1].file_id, "photo"
    elif message.document:
        file_id, file_kind = message.document.file_id, "document"
    elif message.location:
        raise UserError("notices/empty.j2")
    text, user_id = message.text or message.caption, update.effective_user.id
    if conversation.step == "preview":
        notice = await notices.add_to_draft(context.svc, user_id, conversation.data["notice_id"], text, file_id,
                                            file_kind)
        await _preview(update, context, notice, as_edit=False, added=True)
        return
    notice = await notices.draft(context.svc, user_id, text, file_id, file_kind)
    await _preview(update, context, notice, as_edit=False)


async def _set_options(update: Update, context: ZhibuContext, notice_id: int, **options) -> None:
    notice = await notices.set_options(context.svc, update.effective_user.id, notice_id, **options)
    await update.callback_query.answer()
    await _preview(update, context, notice, as_edit=True)


@guarded
async def audience_pressed(update: Update, context: ZhibuContext) -> None:
    """An audience on the preview."""
    notice_id, audience = pressed(update, cb.audience)
    await _set_options(update, context, notice_id, audience=audience)


@guarded
async def to_group_pressed(update: Update, context: ZhibuContext) -> None:
    """同时发到支部群, on or off."""
    (notice_id,) = pressed(update, cb.to_group)
    await _set_options(update, context, notice_id, toggle_group=True)


@guarded
async def send_pressed(update: Update, context: ZhibuContext) -> None:
    """发送: queued to every recipient; a status message with live read counts follows."""
    (notice_id,) = pressed(update, cb.send)
    sent = await notices.send(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_sent", recipients=sent.recipients)
    await edit(update, "notices/sent.j2", notice=sent.notice, recipients=sent.recipients, in_person=sent.in_person)
    status = await reply(update, context, "notices/status.j2", _status_rows(notice_id, sent.counts.unread),
                         counts=sent.counts, unread_names=[])
    await notices.remember_status_message(context.svc, notice_id, status.chat_id, status.message_id)


@guarded
async def rewrite_pressed(update: Update, context: ZhibuContext) -> None:
    """重写: ask for the content again."""
    (notice_id,) = pressed(update, cb.rewrite)
    await notices.rewrite(context.svc, update.effective_user.id, notice_id)
    await update.callback_query.answer()
    await edit(update, "notices/ask_body.j2", max=notices.BODY_MAX)


@guarded
async def discard_pressed(update: Update, context: ZhibuContext) -> None:
    """放弃: the draft is dropped."""
    (notice_id,) = pressed(update, cb.discard)
    await notices.discard(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_discarded")
    await edit(update, "notices/discarded.j2")


@guarded
async def read_pressed(update: Update, context: ZhibuContext) -> None:
    """已读: the receipt is kept and the author's live count moves."""
    (notice_id,) = pressed(update, cb.read)
    result = await notices.mark_read(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_read", newly=result.newly_read)
    await drop_buttons(update)
    if result.newly_read:
        await _refresh_author_status(context, result.notice, result.counts)


async def _show_status(update: Update, context: ZhibuContext, notice_id: int) -> None:
    state = await notices.status(context.svc, update.effective_user.id, notice_id)
    await edit(update, "notices/status.j2", _status_rows(notice_id, state.counts.unread), counts=state.counts,
               unread_names=state.unread_names)


@guarded
async def status_pressed(update: Update, context: ZhibuContext) -> None:
    """刷新 on the status message: counts and the names still unread."""
    (notice_id,) = pressed(update, cb.status)
    await update.callback_query.answer()
    await _show_status(update, context, notice_id)


@guarded
async def nudge_pressed(update: Update, context: ZhibuContext) -> None:
    """催读: a reminder to everyone who has not read it yet."""
    (notice_id,) = pressed(update, cb.nudge)
    queued = await notices.nudge_unread(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_nudged", count=queued)
    await _show_status(update, context, notice_id)


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


FORMS = (Form("notice", body_step),)


def handlers() -> list:
    return [CommandHandler("notice", start_notice), on_press(cb.audience, audience_pressed),
            on_press(cb.to_group, to_group_pressed), on_press(cb.send, send_pressed),
            on_press(cb.rewrite, rewrite_pressed), on_press(cb.discard, discard_pressed), on_press(cb.read, read_pressed),
            on_press(cb.status, status_pressed), on_press(cb.nudge, nudge_pressed)]
