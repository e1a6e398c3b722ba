"""/yuetan: an officer schedules a 约谈 (the person by name, the reason, the time and place), opens its card and
records it; the person sees their own talks and writes the report on the rectification (handlers/drafting.py).
Everything here is answered in the private chat only."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import yuetan as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.services import yuetan
from handlers import drafting
from handlers.telegram.common import guarded, reply, require_private
from handlers.telegram.presses import Press, edits, presses, replies


def _rows(shown: dict) -> list:
    return shown["buttons"]


@guarded
async def yuetan_command(update: Update, context: ZhibuContext) -> None:
    """/yuetan: an officer's talks of the year and 安排约谈; a person's own talks."""
    require_private(update)
    shown = await yuetan.home(context.svc, update.effective_user.id)
    await reply(update, context, "yuetan/home.j2", shown["buttons"], h=shown)


async def person_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """A name typed: the people it matches, a button each."""
    text = update.message.text if update.message else None
    found = await yuetan.person_typed(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "yuetan/people.j2", found["buttons"], name=found["name"])


async def details_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """Time and place typed: the talk is scheduled, its card."""
    text = update.message.text if update.message else None
    shown = await yuetan.details_typed(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "yuetan/card.j2", shown["buttons"], c=shown)


async def record_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The record, then the rectification: the next question, or the card once both are kept."""
    text = update.message.text if update.message else None
    done = await yuetan.record_typed(context.svc, update.effective_user.id, conversation.step, conversation.data,
                                     text)
    if "asked" in done:
        await reply(update, context, "yuetan/ask_record.j2", None, a=done["asked"])
    else:
        await reply(update, context, "yuetan/card.j2", done["card"]["buttons"], c=done["card"])


PRESSES = (
    Press(cb.new, yuetan.begin, None, replies("yuetan/ask_person.j2", params=lambda a: {"a": a}),
          "➕ 安排约谈: ask for the person's name."),
    Press(cb.person, yuetan.choose_person, None, edits("yuetan/ask_reason.j2", _rows, lambda a: {"a": a}),
          "A person chosen: the reason."),
    Press(cb.reason, yuetan.choose_reason, None, edits("yuetan/ask_details.j2", None, lambda a: {"a": a}),
          "The reason chosen: ask for the time and the place."),
    Press(cb.show, yuetan.card, None, replies("yuetan/card.j2", _rows, lambda c: {"c": c}), "A talk's card."),
    Press(cb.record, yuetan.begin_record, None, replies("yuetan/ask_record.j2", params=lambda a: {"a": a}),
          "📝 记录约谈: ask for what was said."),
    Press(cb.report, yuetan.start_report, None, drafting.show, "📝 整改报告: the person's written report."),
)

FORMS = (Form(yuetan.PERSON_FORM, person_step), Form(yuetan.DETAILS_FORM, details_step),
         Form(yuetan.RECORD_FORM, record_step), drafting.form(yuetan.REPORT_DRAFT, resume="/yuetan"))


def handlers() -> list:
    return [CommandHandler("yuetan", yuetan_command), *presses(PRESSES)]
