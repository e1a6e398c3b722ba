"""Meetings in chat (theme day and 三会一课 alike): 签到 / 请假 buttons and /checkin, 代签到, the make-up
form and /makeup, /attendance for the secretary and /me for a member's own record."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler

from bot.callbacks import meetings as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.render import label
from bot.services import attendance
from handlers import drafting
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast


def _proxy_rows(meeting_id: int, waiting) -> list[list[Button]]:
    names = [button("meetings/person", cb.proxy_checkin(meeting_id, m.id), name=m.name) for m in waiting[:45]]
    return [names[i : i + 3] for i in range(0, len(names), 3)]


def _tally_rows(result: attendance.MeetingTally) -> list[list[Button]]:
    if result.closed:
        return attendance.tally_buttons(result)
    return [[button("meetings/refresh", cb.tally(result.meeting.id)),
             button("meetings/proxy", cb.proxy_list(result.meeting.id))]]


def _location_keyboard() -> ReplyKeyboardMarkup:
    """One tap shares the phone's location (no 📎 menu to find); it hides once used."""
    share = KeyboardButton(label("meetings/share_location"), request_location=True)
    return ReplyKeyboardMarkup([[share]], one_time_keyboard=True, resize_keyboard=True)


async def _answer_check_in(update: Update, context: ZhibuContext, done: attendance.CheckIn) -> None:
    """Tell the member how the check-in went (or ask for their location first, with the one-tap keyboard)."""
    if done.presence is None:
        await reply(update, context, "meetings/send_location.j2", _location_keyboard(), **done.info)
        return
    # A checked-in member no longer needs the location key; a proxy button (inline) would replace the removal, so
    # only plain answers take the keyboard away (a one-time keyboard has hidden itself by then anyway).
    rows = [[button("meetings/proxy", cb.proxy_list(done.meeting.id))]] if done.can_proxy else ReplyKeyboardRemove()
    await reply(update, context, "meetings/checked_in.j2", rows, already=done.already,
                presence=done.presence.value, **done.info)


@guarded
async def checkin_command(update: Update, context: ZhibuContext) -> None:
    """/checkin: check in to the meeting whose window is open now."""
    meeting = await attendance.meeting_to_check_in(context.svc, update.effective_user.id)
    await _answer_check_in(update, context, await attendance.check_in(context.svc, update.effective_user.id, meeting.id))


@guarded
async def leave_command(update: Update, context: ZhibuContext) -> None:
    """/leave: ask for leave from the coming meeting (the same as its 请假 button)."""
    meeting = await attendance.meeting_to_check_in(context.svc, update.effective_user.id)
    info = await attendance.begin_leave(context.svc, update.effective_user.id, meeting.id)
    await reply(update, context, "meetings/ask_reason.j2", max=attendance.REASON_MAX, **info)


async def location_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member shared their location for the venue check."""
    location = update.message.location if update.message else None
    try:
        if location is None:
            raise UserError("meetings/need_location.j2")
        done = await attendance.check_in(context.svc, update.effective_user.id, conversation.data["meeting_id"],
                                       (location.latitude, location.longitude))
    except UserError as refusal:
        # Asked again (not there yet, or typed text): the key to share the location comes back with the answer.
        again = refusal.template in ("meetings/need_location.j2", "meetings/too_far.j2")
        await reply(update, context, refusal.template, _location_keyboard() if again else ReplyKeyboardRemove(),
                    **refusal.params)
        return
    await _answer_check_in(update, context, done)


async def leave_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member typed the reason for their leave."""
    text = update.message.text if update.message else None
    info = await attendance.submit_leave(context.svc, update.effective_user.id, conversation.data["meeting_id"], text)
    await reply(update, context, "meetings/leave_sent.j2", **info)


@guarded
async def makeup_command(update: Update, context: ZhibuContext) -> None:
    """/makeup: the member's open make-up tasks, each with a button to write it."""
    open_tasks = await attendance.open_makeups(context.svc, update.effective_user.id)
    rows = [[button("meetings/makeup_task", cb.makeup(s.id), meeting=s.content.get("meeting"))] for s in open_tasks[:10]]
    await reply(update, context, "meetings/makeup_list.j2", rows, tasks=[s.content for s in open_tasks])


@guarded
async def attendance_command(update: Update, context: ZhibuContext) -> None:
    """/attendance [month]: tally and names of that month's attendance."""
    label, tallies = await attendance.attendance_for(context.svc, update.effective_user.id,
                                                   " ".join(context.args) if context.args else None)
    if not tallies:
        await reply(update, context, "meetings/no_meetings.j2", label=label)
    for result in tallies:
        await reply(update, context, "meetings/tally.j2", _tally_rows(result), **result.info,
                    tally=result.tally.__dict__, closed=result.closed, made_up=result.made_up, due=None,
                    undecided=[name for _, name in result.undecided])


@guarded
async def me_command(update: Update, context: ZhibuContext) -> None:
    """/me: my own attendance record."""
    member, lines = await attendance.history(context.svc, update.effective_user.id)
    await reply(update, context, "meetings/me.j2", member=member, lines=lines)


async def _edit_tally(update: Update, result: attendance.MeetingTally) -> None:
    await edit(update, "meetings/tally.j2", _tally_rows(result), **result.info, tally=result.tally.__dict__,
               closed=result.closed, made_up=result.made_up, due=None,
               undecided=[name for _, name in result.undecided])


@guarded
async def checkin_pressed(update: Update, context: ZhibuContext) -> None:
    """签到: re-checked against the window, the venue and who is pressing."""
    (meeting_id,) = pressed(update, cb.checkin)
    done = await attendance.check_in(context.svc, update.effective_user.id, meeting_id)
    await toast(update, "checked_in", already=done.already, presence=done.presence.value if done.presence else None)
    if not done.already:  # a second tap is answered by the toast alone
        await _answer_check_in(update, context, done)


@guarded
async def leave_pressed(update: Update, context: ZhibuContext) -> None:
    """请假: ask for the reason."""
    (meeting_id,) = pressed(update, cb.leave)
    info = await attendance.begin_leave(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await reply(update, context, "meetings/ask_reason.j2", max=attendance.REASON_MAX, **info)


@guarded
async def proxy_list_pressed(update: Update, context: ZhibuContext) -> None:
    """代签到: the members not checked in yet, one button each."""
    (meeting_id,) = pressed(update, cb.proxy_list)
    meeting, waiting, info = await attendance.proxy_candidates(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await reply(update, context, "meetings/proxy_list.j2", _proxy_rows(meeting.id, waiting), count=len(waiting),
                **info)


@guarded
async def proxy_checkin_pressed(update: Update, context: ZhibuContext) -> None:
    """A name on the 代签到 list: checked in by proxy, the list shrinks in place."""
    meeting_id, member_id = pressed(update, cb.proxy_checkin)
    svc, user_id = context.svc, update.effective_user.id
    done = await attendance.proxy_check_in(svc, user_id, meeting_id, member_id)
    await toast(update, "proxy_checked_in", who=done.member.name, already=done.already, presence=done.presence.value)
    meeting, waiting, info = await attendance.proxy_candidates(svc, user_id, meeting_id)
    await edit(update, "meetings/proxy_list.j2", _proxy_rows(meeting.id, waiting), count=len(waiting), **info)


@guarded
async def makeup_pressed(update: Update, context: ZhibuContext) -> None:
    """提交补课材料: start (or resume) the make-up form."""
    (submission_id,) = pressed(update, cb.makeup)
    draft = await attendance.begin_makeup(context.svc, update.effective_user.id, submission_id)
    await update.callback_query.answer()
    await drafting.show(update, context, draft)


@guarded
async def correct_pressed(update: Update, context: ZhibuContext) -> None:
    """更正：实际到场: the absentees, one button each."""
    (meeting_id,) = pressed(update, cb.correct)
    meeting, absent = await attendance.absentees(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    rows = [[button("meetings/person", cb.correct_member(meeting.id, m.id), name=m.name) for m in absent[i : i + 3]]
            for i in range(0, min(len(absent), 45), 3)]
    await reply(update, context, "meetings/correct_pick.j2", rows, count=len(absent))


@guarded
async def correct_member_pressed(update: Update, context: ZhibuContext) -> None:
    """An absentee's name: recorded as present after all, the tally shown again."""
    meeting_id, member_id = pressed(update, cb.correct_member)
    target = await attendance.correct_to_present(context.svc, update.effective_user.id, meeting_id, member_id)
    await toast(update, "attendance_corrected", name=target.name)
    await _edit_tally(update, await attendance.attendance_for_meeting(context.svc, update.effective_user.id, meeting_id))


@guarded
async def tally_pressed(update: Update, context: ZhibuContext) -> None:
    """刷新 on a tally."""
    (meeting_id,) = pressed(update, cb.tally)
    result = await attendance.attendance_for_meeting(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await _edit_tally(update, result)


FORMS = (
    Form("checkin_location", location_step),
    Form("leave", leave_step),
    drafting.form(attendance.MAKEUP_DRAFT, resume="/makeup"),
)


def handlers() -> list:
    return [CommandHandler("checkin", checkin_command), CommandHandler("makeup", makeup_command),
            CommandHandler("leave", leave_command),
            CommandHandler("attendance", attendance_command), CommandHandler("me", me_command),
            on_press(cb.checkin, checkin_pressed), on_press(cb.leave, leave_pressed),
            on_press(cb.proxy_list, proxy_list_pressed), on_press(cb.proxy_checkin, proxy_checkin_pressed),
            on_press(cb.makeup, makeup_pressed),
            on_press(cb.correct, correct_pressed), on_press(cb.correct_member, correct_member_pressed),
            on_press(cb.tally, tally_pressed)]
