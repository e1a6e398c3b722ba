"""亮身份、亮职责、亮承诺 in chat: /pledge (a member's post and pledge, entered once, confirmed by an approver with
确认), /pledges (the secretary's 践诺 review: member → kept / partly / not → a line)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.callbacks import pledges as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.domain.pledges import Kept
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import pledges
from bot.services.pledges import Shown
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies

LIST_MAX = 90  # buttons a keyboard may carry (Telegram: ≤ 100)


@guarded
async def show_pledge(update: Update, context: ZhibuContext) -> None:
    """/pledge: this year's confirmed post and pledge, or the request to enter (or change) it."""
    found = await pledges.begin(context.svc, update.effective_user.id)
    template = "pledges/shown.j2" if found is not None and found.confirmed else "pledges/ask.j2"
    await reply(update, context, template, pledge=found.model_dump() if found else None,
                year=found.year if found else None)


async def entry_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The post and pledge typed: kept, and sent to be confirmed."""
    kept = await pledges.enter(context.svc, update.effective_user.id, update.message.text if update.message else None)
    await reply(update, context, "pledges/entered.j2", post=kept.post, pledge=kept.pledge)


@guarded
async def review_list(update: Update, context: ZhibuContext) -> None:
    """/pledges: the confirmed pledges to review, one button per member (no marks or counts beside names)."""
    shown = await pledges.to_review(context.svc, update.effective_user.id)
    rows = [[button("pledges/review", cb.review(s.pledge.id), name=s.member.name)] for s in shown[:LIST_MAX]]
    await reply(update, context, "pledges/review_list.j2", rows, count=len(rows))


async def note_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The line under a 践诺 review: kept."""
    done = await pledges.review(context.svc, update.effective_user.id, conversation.data,
                                update.message.text if update.message else None)
    await reply(update, context, "pledges/reviewed.j2", name=done.member.name,
                kept=done.pledge.kept.value if done.pledge.kept else "", note=done.pledge.kept_note)


def _params(shown: Shown) -> dict:
    kept = shown.pledge.kept.value if shown.pledge.kept else ""
    return {"name": shown.member.name, "post": shown.pledge.post, "pledge": shown.pledge.pledge, "kept": kept}


def _kept_rows(shown: Shown) -> list[list[Button]]:
    return [[button("pledges/kept", cb.kept(shown.pledge.id, kept), kept=kept.value) for kept in Kept]]


PRESSES = (
    Press(cb.confirm, pledges.confirm, None, edits("pledges/confirmed_card.j2", params=_params),
          "确认: the pledge stands for the year; the card says so."),
    Press(cb.review, pledges.ask_kept, None, replies("pledges/ask_kept.j2", _kept_rows, _params),
          "A member chosen: how was the pledge kept?"),
    Press(cb.kept, pledges.choose_kept, None,
          replies("pledges/ask_note.j2", params=lambda s: {**_params(s), "kept": s.pledge.kept.value
                                                            if s.pledge.kept else ""}),
          "践诺 chosen: a line is asked for."),
)

FORMS = (Form(pledges.ENTRY_FORM, entry_step), Form(pledges.REVIEW_FORM, note_step))


def handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [CommandHandler("pledge", show_pledge, private), CommandHandler("pledges", review_list, private),
            *presses(PRESSES)]
