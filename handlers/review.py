"""Review in chat: the 通过 / 退回修改 / 驳回 card, the reason prompt, and /pending."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.domain.review import Decision
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import review
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.telegram.delivery import send_attachments
from handlers.forms import register_form


@guarded
async def on_card(update: Update, context: ZhibuContext) -> None:
    """A reviewer pressed a decision (or 查看) button; authorisation and staleness are checked again."""
    parts = callback_parts(update, "rv")
    query = update.callback_query
    user_id = update.effective_user.id
    if len(parts) == 2 and parts[0] == "show":
        message = await review.resend_card(context.svc, user_id, int_or_stale(parts[1]))
        await query.answer()
        await send_attachments(context.bot, update.effective_chat.id, message)
        await reply(update, context, message.template, message.buttons, **message.params)
        return
    if len(parts) != 3:
        raise UserError("common/stale.j2")
    try:
        decision = Decision(parts[0])
    except ValueError:
        raise UserError("common/stale.j2") from None
    submission_id, version = int_or_stale(parts[1]), int_or_stale(parts[2])
    if decision is Decision.APPROVE:
        decided = await review.decide(context.svc, user_id, submission_id, version, decision)
        await _answer_decided(update, decided)
        return
    submission = await review.ask_comment(context.svc, user_id, submission_id, version, decision)
    await query.answer()
    await reply(update, context, "review/ask_comment.j2", decision=decision.value,
                label=review.kind_of(submission.kind).label)


async def _answer_decided(update: Update, decided: review.Decided) -> None:
    await toast(update, "decided", already=decided.already)
    await edit(update, "review/card_decided.j2", status=decided.submission.status.value,
               label=review.kind_of(decided.submission.kind).label, comment=decided.submission.comment)


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
        await reply(update, context, "review/already.j2", status=decided.submission.status.value)
    else:
        await reply(update, context, "review/card_decided.j2", status=decided.submission.status.value,
                    label=review.kind_of(decided.submission.kind).label, comment=decided.submission.comment)


@guarded
async def pending(update: Update, context: ZhibuContext) -> None:
    """/pending: everything waiting for review in the branch, each with a button to open its card."""
    rows = await review.waiting_for(context.svc, update.effective_user.id)
    keyboard = [[Button(label=f"{label} · {author}", data=f"rv:show:{s.id}")] for s, label, author in rows[:30]]
    await reply(update, context, "review/pending.j2", keyboard, items=rows)


register_form("review_comment", comment_step)


def handlers() -> list:
    return [CommandHandler("pending", pending), CallbackQueryHandler(on_card, pattern=r"^rv:")]
