"""Review in chat: the 通过 / 退回修改 / 驳回 card, the reason prompt, and /pending."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import review as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.domain.review import Decision
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import button
from bot.services import review
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.delivery import send_attachments


@guarded
async def show_pressed(update: Update, context: ZhibuContext) -> None:
    """查看 on /pending's list: the submission's card again, with its attachments (a press in a group never gets
    here: `guarded` refuses it)."""
    (submission_id,) = pressed(update, cb.show)
    message = await review.resend_card(context.svc, update.effective_user.id, submission_id)
    await update.callback_query.answer()
    await send_attachments(context.bot, update.effective_chat.id, message)
    shown = await reply(update, context, message.template, message.buttons, **message.params)
    # kept, so that a decision by anyone (or a newer version) edits this copy like every other
    await review.card_shown(context.svc, update.effective_user.id, message, update.effective_chat.id,
                            shown.message_id)


@guarded
async def approve_pressed(update: Update, context: ZhibuContext) -> None:
    """通过: decided at once (authorisation and staleness are checked again)."""
    submission_id, version = pressed(update, cb.approve)
    shown = update.effective_chat.id, update.callback_query.message.message_id
    decided = await review.decide(context.svc, update.effective_user.id, submission_id, version, Decision.APPROVE,
                                  card_shown=shown)
    await toast(update, "decided", already=decided.already)
    card = await review.current_card(context.svc, decided.submission, version)
    await edit(update, card.template, card.buttons, **card.params)


async def _ask_reason(update: Update, context: ZhibuContext, decision: Decision) -> None:
    submission_id, version = pressed(update, cb.decisions[decision])
    submission = await review.ask_comment(context.svc, update.effective_user.id, submission_id, version, decision)
    await update.callback_query.answer()
    kind = review.kind_of(context.svc, submission.kind)
    await reply(update, context, "review/ask_comment.j2", decision=decision.value, label=kind.label,
                reject_label=kind.reject_label)


@guarded
async def send_back_pressed(update: Update, context: ZhibuContext) -> None:
    """退回修改: ask the reviewer for the reason first."""
    await _ask_reason(update, context, Decision.RETURN)


@guarded
async def reject_pressed(update: Update, context: ZhibuContext) -> None:
    """驳回: ask the reviewer for the reason first."""
    await _ask_reason(update, context, Decision.REJECT)


async def comment_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The reviewer typed the reason for 退回修改 / 驳回."""
    text = update.message.text if update.message else None
    if text is None:
        raise UserError("review/comment_needed.j2")
    comment = review.clean_comment(text)
    data = conversation.data
    decided = await review.decide(context.svc, update.effective_user.id, data["submission_id"], data["version"],
                                  Decision(data["decision"]), comment)
    if decided.already:
        await reply(update, context, "review/already.j2", status=decided.submission.status.value,
                    superseded=decided.submission.version != data["version"])
    else:  # the card itself (and every other approver's copy) is edited through the outbox
        card = await review.decided_card(context.svc, context.svc.db, decided.submission)
        await reply(update, context, card.template, card.buttons, **card.params)


@guarded
async def full_text_pressed(update: Update, context: ZhibuContext) -> None:
    """📄 查看全文: the whole submission under a shortened card, as new messages (the card stays as it is)."""
    submission_id, version = pressed(update, cb.full_text)
    message = await review.full_text(context.svc, update.effective_user.id, submission_id, version)
    await update.callback_query.answer()
    await reply(update, context, message.template, **message.params)


@guarded
async def pending(update: Update, context: ZhibuContext) -> None:
    """/pending: everything waiting for review in the branch, each with a button to open its card."""
    rows = await review.waiting_for(context.svc, update.effective_user.id)
    keyboard = [[button("review/pending_item", cb.show(s.id), label=label, author=author)]
                for s, label, author in rows[:30]]
    await reply(update, context, "review/pending.j2", keyboard, items=rows)


FORMS = (Form("review_comment", comment_step),)


def handlers() -> list:
    return [CommandHandler("pending", pending), on_press(cb.show, show_pressed), on_press(cb.approve, approve_pressed),
            on_press(cb.send_back, send_back_pressed), on_press(cb.reject, reject_pressed),
            on_press(cb.full_text, full_text_pressed)]
