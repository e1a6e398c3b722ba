"""学习心得 in chat: the button under the invitation after a 专题学习 opens the note; the next text is kept."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import study_notes as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.services import study_notes
from handlers.telegram.common import reply
from handlers.telegram.presses import Press, presses, replies


async def note_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member typed their note."""
    text = update.message.text if update.message else None
    saved = await study_notes.write(context.svc, update.effective_user.id, text)
    await reply(update, context, "study_notes/saved.j2", **saved)


PRESSES = (
    Press(cb.write, study_notes.begin, None, replies("study_notes/ask.j2", params=lambda info: info),
          "写学习心得: re-checked (their branch's 专题学习, begun, attended); the form then waits for the text."),
)

FORMS = (Form(study_notes.FORM, note_step),)


def handlers() -> list:
    return [*presses(PRESSES)]
