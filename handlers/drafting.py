"""Drafting in chat, for every kind handed in (bot/services/drafts.py): the form step that keeps each piece, and
the buttons under a draft — 提交, 👀 预览, 🗑 清空重写. A feature plugs in with its form (`form(kind, "/cmd")`) and
opens drafts with `show`; the presses are registered once, here (with the review handlers)."""

from __future__ import annotations

from telegram import Message, Update

from bot import uploads
from bot.callbacks import Action
from bot.callbacks import drafts as cb
from bot.callbacks import meetings as meetings_cb
from bot.callbacks import reports as reports_cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import drafts
from bot.services.drafts import Draft, DraftKind
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.delivery import send_attachments


def rows(draft: Draft) -> list[list[Button]]:
    sid = draft.submission.id
    row = [button("drafts/submit", cb.submit(sid))]
    if not draft.empty:
        row += [button("drafts/preview", cb.preview(sid)), button("drafts/clear", cb.clear(sid))]
    return [row]


async def show(update: Update, context: ZhibuContext, draft: Draft, template: str | None = None) -> None:
    """The draft's prompt (or another of its kind's templates), with its buttons."""
    await reply(update, context, template or draft.kind.ask, rows(draft), **draft.params())


def _file(message: Message) -> tuple[str, str] | None:
    if message.photo:
        return message.photo[-1].file_id, "photo"
    return (message.document.file_id, "document") if message.document else None


def _size(message: Message) -> int | None:
    """What Telegram says the photo or file weighs (refused over the upload guard's limit before it is kept)."""
    if message.photo:
        return message.photo[-1].file_size
    return message.document.file_size if message.document else None


async def content_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """A piece of the draft (text, a photo or a file, with its caption): kept at once."""
    message = update.message
    uploads.check_size(_size(message), uploads.SUBMITTED)
    draft = await drafts.add(context.svc, update.effective_user.id, conversation.data,
                             message.text or message.caption, _file(message),
                             message.document.file_name if message.document else None)
    await show(update, context, draft, draft.kind.kept)


def form(kind: DraftKind, resume: str | None = None) -> Form:
    """The feature's form for `kind`: what its author sends goes into the draft; /cancel names `resume`."""
    return Form(kind.kind, content_step, resume=resume)


def _submission_id(update: Update, actions: tuple[Action, ...]) -> int:
    """The pressed draft's id, from drafting's button or an earlier one of the same meaning."""
    for action in actions:
        if (fields := action.parse(update.callback_query.data)) is not None:
            return fields[0]
    raise UserError("common/stale.j2")


SUBMIT = (reports_cb.submit, meetings_cb.makeup_submit, cb.submit)
CLEAR = (reports_cb.clear, cb.clear)


@guarded
async def submit_pressed(update: Update, context: ZhibuContext) -> None:
    """提交: handed in for review; the message under the draft says so."""
    draft = await drafts.submit(context.svc, update.effective_user.id, _submission_id(update, SUBMIT))
    await toast(update, "draft_submitted", label=draft.kind.label)
    await edit(update, "drafts/submitted.j2", **draft.params())


@guarded
async def clear_pressed(update: Update, context: ZhibuContext) -> None:
    """清空重写: the draft starts again."""
    draft = await drafts.clear(context.svc, update.effective_user.id, _submission_id(update, CLEAR))
    await update.callback_query.answer()
    await show(update, context, draft)


@guarded
async def preview_pressed(update: Update, context: ZhibuContext) -> None:
    """预览: the draft as the reviewer will see it (photos and files first), with its buttons."""
    (submission_id,) = pressed(update, cb.preview)
    draft, message = await drafts.preview(context.svc, update.effective_user.id, submission_id)
    await update.callback_query.answer()
    await send_attachments(context.bot, update.effective_chat.id, message)
    await reply(update, context, message.template, rows(draft), **message.params)


def handlers() -> list:
    return [*(on_press(action, submit_pressed) for action in SUBMIT),
            *(on_press(action, clear_pressed) for action in CLEAR), on_press(cb.preview, preview_pressed)]
