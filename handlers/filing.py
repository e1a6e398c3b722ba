"""/followups: a 不合格 result's follow-up — the secretary picks the measure and deadline and asks for 销号 with a
line saying what was done; an officer above the branch confirms or sends it back. /export by an officer: the
unit's registers across its branches in one Excel."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.callbacks import filing as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.ids import parse_id
from bot.outgoing import button
from bot.services import followups, unit_books
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


@guarded
async def show_followups(update: Update, context: ZhibuContext) -> None:
    """/followups: the open follow-ups of the secretary's branch or the officer's subtree, each with its card."""
    found = await followups.listing(context.svc, update.effective_user.id)
    rows = [[button("filing/item", cb.card(f["id"]), name=f["name"], branch=f["branch"])] for f in found.items[:30]]
    await reply(update, context, "filing/followups.j2", rows, listing=found)


async def note_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The line saying what was done: 销号 is asked of the officers above."""
    text = update.message.text if update.message else None
    info, asked = await followups.close_note_typed(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "filing/close_requested.j2", f=info, asked=asked)


def _then_card(use):
    """The use case, then the follow-up's card as it is now, with what the presser may do."""
    async def run(svc, user_id: int, followup_id: int, *fields):
        done = await use(svc, user_id, followup_id, *fields)
        return done, await followups.card(svc, user_id, followup_id)
    return run


async def _nothing(svc, user_id: int, followup_id: int) -> None:
    """Only the card is shown (it re-checks who may see it)."""


_CARD = edits("filing/followup_card.j2", lambda done: done[1].buttons, lambda done: {"f": done[1].info})
_DECIDED = edits("filing/followup_card.j2", lambda info: [], lambda info: {"f": info})

PRESSES = (
    Press(cb.card, _then_card(_nothing), None, _CARD, "A follow-up of the list: its card, with what the presser may do."),
    Press(cb.measure, _then_card(followups.choose_measure),
          lambda done: ("followup_measure", {"label": done[0].measure.label}), _CARD,
          "限期改正 / 劝其退党 / 除名: the measure, with its default deadline."),
    Press(cb.months, _then_card(followups.choose_months), None, _CARD,
          "N 个月: the deadline moves to N months from today."),
    Press(cb.close, followups.begin_close, None, replies("filing/ask_note.j2", params=lambda info: {"f": info}),
          "销号: ask what was done."),
    Press(cb.confirm, lambda svc, user_id, fid: followups.decide(svc, user_id, fid, confirm=True), None, _DECIDED,
          "确认销号 (an officer above the branch)."),
    Press(cb.send_back, lambda svc, user_id, fid: followups.decide(svc, user_id, fid, confirm=False), None, _DECIDED,
          "退回 (an officer above the branch): the follow-up is open again."),
)


async def unit_export(update: Update, context: ZhibuContext) -> None:
    """/export NAME PERIOD [UNIT_ID] by an officer: one Excel over every branch of the unit."""
    args = context.args or []
    unit_id = parse_id(args[2]) if len(args) == 3 else None  # beyond any id: the usage, never an overflow
    if len(args) not in (2, 3) or (len(args) == 3 and unit_id is None):
        await reply(update, context, "filing/unit_export_usage.j2", exporters=unit_books.unit_exporters(context.svc))
        return
    file = await unit_books.for_officer(context.svc, update.effective_user.id, args[0], args[1], unit_id)
    await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(file.data), filename=file.filename),
                                    caption=file.filename.removesuffix(".xlsx"))


FORMS = (Form(followups.CLOSE_FORM, note_step),)


def handlers() -> list:
    return [CommandHandler("followups", show_followups), *presses(PRESSES)]
