"""登记补课 in chat: from a closed tally, the members whose make-up is not done, one button each; a name, then one
line with the date and what was studied. For the secretary and 支委 (members without a smartphone above all)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import meetings as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import makeup_record
from handlers.telegram.common import guarded, on_press, pressed, reply


def _people_rows(meeting_id: int, people) -> list[list[Button]]:
    names = [button("meetings/person", cb.record_member(meeting_id, m.id), name=m.name) for m in people[:45]]
    return [names[i : i + 3] for i in range(0, len(names), 3)]


@guarded
async def list_pressed(update: Update, context: ZhibuContext) -> None:
    """记录补课 under a tally: whose make-up is still open, a button per person."""
    (meeting_id,) = pressed(update, cb.record_list)
    info, people = await makeup_record.waiting(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await reply(update, context, "meetings/makeup_record_list.j2", _people_rows(meeting_id, people), people=people,
                **info)


@guarded
async def member_pressed(update: Update, context: ZhibuContext) -> None:
    """A name: ask for the make-up's date and content."""
    meeting_id, member_id = pressed(update, cb.record_member)
    target = await makeup_record.begin(context.svc, update.effective_user.id, meeting_id, member_id)
    await update.callback_query.answer()
    await reply(update, context, "meetings/makeup_record_ask.j2", person=target.member.name, **target.info)


async def record_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The line "12月8日 自学党章总纲": recorded, or refused saying what is missing (the form waits)."""
    text = update.message.text if update.message else None
    if text is None:
        raise UserError("meetings/makeup_record_bad.j2", why="no_date")
    done = await makeup_record.record(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "meetings/makeup_recorded.j2", person=done.member.name, **done.info)


FORMS = (Form(makeup_record.FORM, record_step),)


def handlers() -> list:
    return [on_press(cb.record_list, list_pressed), on_press(cb.record_member, member_pressed)]
