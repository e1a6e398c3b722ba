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
from handlers.telegram.common import reply
from handlers.telegram.presses import Press, presses, replies


def _people_rows(meeting_id: int, people) -> list[list[Button]]:
    names = [button("meetings/person", cb.record_member(meeting_id, m.id), name=m.name) for m in people[:45]]
    return [names[i : i + 3] for i in range(0, len(names), 3)]


async def _waiting(svc, user_id: int, meeting_id: int) -> tuple:
    return meeting_id, *await makeup_record.waiting(svc, user_id, meeting_id)


PRESSES = (
    Press(cb.record_list, _waiting, None,
          replies("meetings/makeup_record_list.j2", lambda found: _people_rows(found[0], found[2]),
                  lambda found: {"people": found[2], **found[1]}),
          "记录补课 under a tally: whose make-up is still open, a button per person."),
    Press(cb.record_member, makeup_record.begin, None,
          replies("meetings/makeup_record_ask.j2", params=lambda target: {"person": target.member.name, **target.info}),
          "A name: ask for the make-up's date and content."),
)


async def record_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The line "12月8日 自学党章总纲": recorded, or refused saying what is missing (the form waits)."""
    text = update.message.text if update.message else None
    if text is None:
        raise UserError("meetings/makeup_record_bad.j2", why="no_date")
    done = await makeup_record.record(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "meetings/makeup_recorded.j2", person=done.member.name, **done.info)


FORMS = (Form(makeup_record.FORM, record_step),)


def handlers() -> list:
    return presses(PRESSES)
