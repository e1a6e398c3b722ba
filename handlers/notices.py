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
from handlers.telegram.common import drop_buttons, edit, guarded, keyboard, reply
from handlers.telegram.presses import Press, edits, presses

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


async def _preview_again(update: Update, context: ZhibuContext, notice: notices.Notice) -> None:
    await _preview(update, context, notice, as_edit=True)


async def _sent(update: Update, context: ZhibuContext, sent: notices.Sent) -> None:
    """The draft says it went; a status message with live read counts follows (and is kept, to be edited)."""
    notice_id = sent.notice.id
    await edit(update, "notices/sent.j2", notice=sent.notice, recipients=sent.recipients, in_person=sent.in_person)
    status = await reply(update, context, "notices/status.j2", _status_rows(notice_id, sent.counts.unread),
                         counts=sent.counts, unread_names=[])
    await notices.remember_status_message(context.svc, notice_id, status.chat_id, status.message_id)


async def _rewrite(svc, user_id: int, notice_id: int) -> None:
    await notices.rewrite(svc, user_id, notice_id)


async def _read(update: Update, context: ZhibuContext, result: notices.ReadResult) -> None:
    await drop_buttons(update)
    if result.newly_read:
        await _refresh_author_status(context, result.notice, result.counts)


async def _nudge(svc, user_id: int, notice_id: int) -> tuple[int, notices.Status]:
    """催读, and the counts and names as they are now."""
    return await notices.nudge_unread(svc, user_id, notice_id), await notices.status(svc, user_id, notice_id)


def _status(state: notices.Status) -> tuple[list[list[Button]], dict]:
    return (_status_rows(state.notice.id, state.counts.unread),
            {"counts": state.counts, "unread_names": state.unread_names})


PRESSES = (
    Press(cb.audience, lambda svc, user_id, notice_id, key: notices.set_options(svc, user_id, notice_id, audience=key),
          None, _preview_again, "An audience on the preview."),
    Press(cb.to_group, lambda svc, user_id, notice_id: notices.set_options(svc, user_id, notice_id, toggle_group=True),
          None, _preview_again, "同时发到支部群, on or off."),
    Press(cb.send, notices.send, lambda sent: ("notice_sent", {"recipients": sent.recipients}), _sent,
          "发送: queued to every recipient; a status message with live read counts follows."),
    Press(cb.rewrite, _rewrite, None, edits("notices/ask_body.j2", params=lambda _: {"max": notices.BODY_MAX}),
          "重写: ask for the content again."),
    Press(cb.discard, notices.discard, "notice_discarded", edits("notices/discarded.j2"), "放弃: the draft is dropped."),
    Press(cb.read, notices.mark_read, lambda result: ("notice_read", {"newly": result.newly_read}), _read,
          "已读: the receipt is kept and the author's live count moves."),
    Press(cb.status, notices.status, None, edits("notices/status.j2", lambda st: _status(st)[0],
                                                 lambda st: _status(st)[1]),
          "刷新 on the status message: counts and the names still unread."),
    Press(cb.nudge, _nudge, lambda done: ("notice_nudged", {"count": done[0]}),
          edits("notices/status.j2", lambda done: _status(done[1])[0], lambda done: _status(done[1])[1]),
          "催读: a reminder to everyone who has not read it yet."),
)


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
    return [CommandHandler("notice", start_notice), *presses(PRESSES)]
