"""A theme day moved off a public holiday: the secretary's 确认 / 改日期 and the typed new day."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import holidays as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.services import holidays
from handlers.telegram.common import reply
from handlers.telegram.presses import Press, edits, presses, replies


async def day_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed the new day."""
    info = await holidays.change(context.svc, update.effective_user.id, conversation.data["meeting_id"],
                                 update.message.text if update.message else None)
    await reply(update, context, "holidays/changed.j2", **info)


PRESSES = (
    Press(cb.confirm, holidays.confirm, None, edits("holidays/confirmed.j2", params=lambda info: info),
          "确认: the moved date stands."),
    Press(cb.change, holidays.begin_change, None, replies("holidays/ask_day.j2", params=lambda info: info),
          "改日期: ask for the day."),
)


FORMS = (Form("holiday_date", day_step),)


def handlers() -> list:
    return presses(PRESSES)
