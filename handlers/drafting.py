"""Drafting in chat, for every kind handed in (bot/services/drafts.py): the form step that keeps each piece, and
the buttons under a draft — 提交, 👀 预览, 🗑 清空重写. A feature plugs in with its form (`form(kind, "/cmd")`) and
opens drafts with `show`; the presses are registered once, here (with the review handlers)."""

from __future__ import annotations

from telegram import Message, Update

from bot import uploads
from bot.callbacks import drafts as cb
from bot.callbacks import meetings as meetings_cb
from bot.callbacks import reports as reports_cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, Outgoing, button
from bot.services import drafts
from bot.services.drafts import Draft, DraftKind
from handlers.telegram.common import reply
from handlers.telegram.delivery import send_attachments
from handlers.telegram.presses import Press, edits, presses


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


async def _show_preview(update: Update, context: ZhibuContext, previewed: tuple[Draft, Outgoing]) -> None:
    draft, message = previewed
    await send_attachments(context.bot, update.effective_chat.id, message)
    await reply(update, context, message.template, rows(draft), **message.params)


# The buttons sent before drafting was shared (rp:s, mt:ms, rp:x) do what drafting's own do.
PRESSES = (
    *(Press(action, drafts.submit, lambda d: ("draft_submitted", {"label": d.kind.label}),
            edits("drafts/submitted.j2", params=lambda d: d.params()),
            "提交: handed in for review; the message under the draft says so.")
      for action in (cb.submit, reports_cb.submit, meetings_cb.makeup_submit)),
    *(Press(action, drafts.clear, None, show, "清空重写: the draft starts again.")
      for action in (cb.clear, reports_cb.clear)),
    Press(cb.preview, drafts.preview, None, _show_preview,
          "预览: the draft as the reviewer will see it (photos and files first), with its buttons."),
)


def handlers() -> list:
    return presses(PRESSES)
