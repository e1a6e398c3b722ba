"""The check-in QR picture in chat: 🔢 签到码 on an open tally sends the picture (the deep link's QR) with the code to
read aloud, kept fresh by editing the photo every 30 seconds while it is shown (at most meetings.QR_MINUTES, never
past the check-in window; then 🔄 换新码 starts it again); a scanned link (/start ci_…) checks the member in.

The refresh is a job in memory, not an outbox row: it only keeps a picture on one screen current, and after a
restart the shower presses 🔄 换新码 — nothing a member is owed is lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InputMediaPhoto, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.callbacks import meetings as cb
from bot.context import ZhibuContext
from bot.domain import dates
from bot.errors import UserError
from bot.outgoing import Button, button
from bot.render import render
from bot.services import meetings
from handlers.telegram.common import guarded, keyboard, on_press, pressed, reply

log = logging.getLogger(__name__)
REFRESH_S = 30


@dataclass(frozen=True)
class Shown:
    """A picture on someone's screen: whose, which message, for which meeting."""

    telegram_id: int
    chat_id: int
    message_id: int
    meeting_id: int
    until: datetime  # refreshed until then (set when shown or 🔄 pressed)


def _rows(meeting_id: int) -> list[list[Button]]:
    return [[button("meetings/code_again", cb.code_again(meeting_id))]]


def _caption(context: ZhibuContext, qr: meetings.ShownQr, until: datetime, refreshing: bool) -> str:
    local = dates.local(until, context.svc.settings.tz)
    return render("meetings/code.j2", code=qr.shown.code, changes_at=qr.shown.changes_at, refreshing=refreshing,
                  until=f"{local:%H:%M}", **qr.shown.info)


def _keep_fresh(context: ZhibuContext, shown: Shown, qr: meetings.ShownQr) -> None:
    """Edit the picture at each change of the code until refresh_until (one job per picture)."""
    name = f"qr:{shown.chat_id}:{shown.message_id}"
    for job in context.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    first = max((qr.next_change - context.svc.now()).total_seconds(), 0) + 1
    context.job_queue.run_repeating(refresh, interval=REFRESH_S, first=first, data=shown, name=name)


@guarded
async def code_pressed(update: Update, context: ZhibuContext) -> None:
    """🔢 签到码: the QR picture with the code, kept fresh while shown."""
    (meeting_id,) = pressed(update, cb.code)
    qr = await meetings.show_qr(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await _send_new(update, context, qr)


async def _send_new(update: Update, context: ZhibuContext, qr: meetings.ShownQr) -> None:
    meeting_id = qr.shown.meeting.id
    sent = await context.bot.send_photo(update.effective_chat.id, qr.picture,
                                        caption=_caption(context, qr, qr.refresh_until, True),
                                        parse_mode=ParseMode.HTML, reply_markup=keyboard(_rows(meeting_id)))
    _keep_fresh(context, Shown(update.effective_user.id, sent.chat_id, sent.message_id, meeting_id, qr.refresh_until),
                qr)


@guarded
async def code_again_pressed(update: Update, context: ZhibuContext) -> None:
    """🔄 换新码: the picture as it is now, in place (a code shown as text before pictures gets a picture)."""
    (meeting_id,) = pressed(update, cb.code_again)
    qr = await meetings.show_qr(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    message = update.callback_query.message
    if not getattr(message, "photo", None):
        await _send_new(update, context, qr)
        return
    shown = Shown(update.effective_user.id, message.chat_id, message.message_id, meeting_id, qr.refresh_until)
    if await _show(context, shown, qr, refreshing=True):
        _keep_fresh(context, shown, qr)


async def _show(context: ZhibuContext, shown: Shown, qr: meetings.ShownQr, refreshing: bool) -> bool:
    """The picture edited in place; False when the message is gone (deleted, too old)."""
    caption = _caption(context, qr, min(shown.until, qr.refresh_until), refreshing)
    media = InputMediaPhoto(qr.picture, caption=caption, parse_mode=ParseMode.HTML)
    try:
        await context.bot.edit_message_media(media, chat_id=shown.chat_id, message_id=shown.message_id,
                                             reply_markup=keyboard(_rows(shown.meeting_id)))
    except BadRequest as exc:
        return "not modified" in str(exc).lower()
    except TelegramError as exc:  # blocked, or Telegram unreachable: this picture is not kept fresh any longer
        log.info("QR picture %s in chat %s not refreshed: %s", shown.message_id, shown.chat_id, exc)
        return False
    return True


async def refresh(context: ZhibuContext) -> None:
    """The job: the next picture, re-authorised each time; past refresh_until the last one says it stopped, and
    once the shower may no longer show it (window closed, role gone) it says so and stops."""
    shown: Shown = context.job.data
    try:
        qr = await meetings.show_qr(context.svc, shown.telegram_id, shown.meeting_id)
    except UserError:
        await _ended(context, shown)
        return
    last = context.svc.now() + timedelta(seconds=REFRESH_S) > min(shown.until, qr.refresh_until)  # the last one
    if not await _show(context, shown, qr, refreshing=not last) or last:
        context.job.schedule_removal()


async def _ended(context: ZhibuContext, shown: Shown) -> None:
    context.job.schedule_removal()
    try:
        await context.bot.edit_message_caption(chat_id=shown.chat_id, message_id=shown.message_id,
                                               caption=render("meetings/code_ended.j2"), parse_mode=ParseMode.HTML)
    except TelegramError:
        pass  # gone or unchanged: nothing left to stop


async def opened_link(update: Update, context: ZhibuContext, payload: str) -> bool:
    """/start ci_…: a scanned check-in link (True: answered here), else not one of ours (False)."""
    if not meetings.is_checkin_link(payload):
        return False
    done = await meetings.check_in_by_link(context.svc, update.effective_user.id, payload)
    if done.presence is None:  # cannot happen for a good link; answered as the check-in would be
        raise UserError("meetings/bad_link.j2")
    await reply(update, context, "meetings/checked_in.j2", already=done.already, presence=done.presence.value,
                **done.info)
    return True


def handlers() -> list:
    return [on_press(cb.code, code_pressed), on_press(cb.code_again, code_again_pressed)]
