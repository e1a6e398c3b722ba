"""Review in chat: the 通过 / 退回修改 / 驳回 card, the reason prompt, and /pending."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import join as join_cb
from bot.callbacks import review as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.domain.review import Decision, Submission
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, Outgoing, button
from bot.services import join_requests, review
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.delivery import send_attachments
from handlers.telegram.presses import Press, presses


async def _show_card(update: Update, context: ZhibuContext, message: Outgoing) -> None:
    """The card again with its attachments, kept so that a decision by anyone (or a newer version) edits this copy
    like every other (a press in a group never gets here: `guarded` refuses it)."""
    await send_attachments(context.bot, update.effective_chat.id, message)
    shown = await reply(update, context, message.template, message.buttons, **message.params)
    await review.card_shown(context.svc, update.effective_user.id, message, update.effective_chat.id,
                            shown.message_id)


@guarded
async def approve_pressed(update: Update, context: ZhibuContext) -> None:
    """通过: decided at once (authorisation and staleness are checked again); the pressed card is edited here."""
    submission_id, version = pressed(update, cb.approve)
    shown = update.effective_chat.id, update.callback_query.message.message_id
    decided = await review.decide(context.svc, update.effective_user.id, submission_id, version, Decision.APPROVE,
                                  card_shown=shown)
    await toast(update, "decided", already=decided.already)
    card = await review.current_card(context.svc, decided.submission, version)
    await edit(update, card.template, card.buttons, **card.params)


async def _ask(svc, user_id: int, submission_id: int, version: int, decision: Decision) -> tuple:
    return await review.ask_comment(svc, user_id, submission_id, version, decision), decision


async def _ask_reason(update: Update, context: ZhibuContext, asked: tuple[Submission, Decision]) -> None:
    submission, decision = asked
    kind = review.kind_of(context.svc, submission.kind)
    await reply(update, context, "review/ask_comment.j2", decision=decision.value, label=kind.label,
                reject_label=kind.reject_label)


PRESSES = (
    Press(cb.show, review.resend_card, None, _show_card, "查看 on /pending's list: the submission's card again."),
    Press(cb.full_text, review.full_text, None,
          lambda update, context, message: reply(update, context, message.template, **message.params),
          "📄 查看全文: the whole submission under a shortened card, as new messages (the card stays as it is)."),
    *(Press(cb.decisions[decision],
            lambda svc, user_id, sid, version, decision=decision: _ask(svc, user_id, sid, version, decision),
            None, _ask_reason, "退回修改 / 驳回: ask the reviewer for the reason first.")
      for decision in (Decision.RETURN, Decision.REJECT)),
)


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


async def pending_view(context: ZhibuContext, telegram_id: int) -> tuple[list[list[Button]], dict]:
    """/pending's list: join requests first, each with 通过 / 拒绝, then what waits for review, each opening its card."""
    joins = await join_requests.pending_for(context.svc, telegram_id)
    rows = await review.waiting_for(context.svc, telegram_id)  # refuses someone who reviews nothing
    keyboard = [[button("join/approve_listed", join_cb.approve_listed(m.id), name=m.name),
                 button("join/reject_listed", join_cb.reject_listed(m.id), name=m.name)] for m in joins[:20]]
    keyboard += [[button("review/pending_item", cb.show(s.id), label=label, author=author)]
                 for s, label, author in rows[:30]]
    return keyboard, {"items": rows, "joins": joins}


@guarded
async def pending(update: Update, context: ZhibuContext) -> None:
    """/pending: join requests and everything waiting for review, each with its buttons."""
    keyboard, params = await pending_view(context, update.effective_user.id)
    await reply(update, context, "review/pending.j2", keyboard, **params)


FORMS = (Form("review_comment", comment_step),)


def handlers() -> list:
    return [CommandHandler("pending", pending), on_press(cb.approve, approve_pressed), *presses(PRESSES)]
