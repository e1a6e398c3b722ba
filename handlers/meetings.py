"""Meetings in chat (theme day and 三会一课 alike): 签到 / 请假 buttons and /checkin, 代签到, the make-up
form and /makeup, /attendance for the secretary and /me for a member's own record."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler

from bot.callbacks import meetings as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form, Phrase
from bot.outgoing import Button, button
from bot.render import label
from bot.services import meetings, pledges
from handlers import drafting
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


def _proxy_rows(meeting_id: int, waiting) -> list[list[Button]]:
    names = [button("meetings/person", cb.proxy_checkin(meeting_id, m.id), name=m.name) for m in waiting[:45]]
    return [names[i : i + 3] for i in range(0, len(names), 3)]


def _tally_rows(result: meetings.MeetingTally) -> list[list[Button]]:
    if result.closed:
        return meetings.tally_buttons(result)
    code = [button("meetings/show_code", cb.code(result.meeting.id))] if result.takes_code else []
    return [[button("meetings/refresh", cb.tally(result.meeting.id)),
             button("meetings/proxy", cb.proxy_list(result.meeting.id)), *code]]


def _location_keyboard() -> ReplyKeyboardMarkup:
    """One tap shares the phone's location (no 📎 menu to find); it hides once used."""
    share = KeyboardButton(label("meetings/share_location"), request_location=True)
    return ReplyKeyboardMarkup([[share]], one_time_keyboard=True, resize_keyboard=True)


async def _answer_check_in(update: Update, context: ZhibuContext, done: meetings.CheckIn) -> None:
    """Tell the member how the check-in went (or ask for their location first, with the one-tap keyboard)."""
    if done.presence is None:
        keys = _location_keyboard() if "location" in done.proof else ReplyKeyboardRemove()
        await reply(update, context, "meetings/send_location.j2", keys, location="location" in done.proof,
                    code="code" in done.proof, **done.info)
        return
    # A checked-in member no longer needs the location key; a proxy button (inline) would replace the removal, so
    # only plain answers take the keyboard away (a one-time keyboard has hidden itself by then anyway).
    rows = [[button("meetings/proxy", cb.proxy_list(done.meeting.id))]] if done.can_proxy else ReplyKeyboardRemove()
    await reply(update, context, "meetings/checked_in.j2", rows, already=done.already,
                presence=done.presence.value, **done.info)


@guarded
async def checkin_command(update: Update, context: ZhibuContext) -> None:
    """/checkin: check in to the meeting whose window is open now."""
    meeting = await meetings.meeting_to_check_in(context.svc, update.effective_user.id)
    await _answer_check_in(update, context, await meetings.check_in(context.svc, update.effective_user.id, meeting.id))


@guarded
async def leave_command(update: Update, context: ZhibuContext) -> None:
    """/leave: ask for leave from the coming meeting (the same as its 请假 button)."""
    meeting = await meetings.meeting_to_check_in(context.svc, update.effective_user.id)
    info = await meetings.begin_leave(context.svc, update.effective_user.id, meeting.id)
    await reply(update, context, "meetings/ask_reason.j2", max=meetings.REASON_MAX, **info)


def _proof_of(update: Update, conversation: Conversation) -> tuple[tuple[float, float] | None, str | None]:
    """The member's location (not a forwarded one: someone else's proves nothing of one's own) or typed code."""
    message = update.message
    location = message.location if message else None
    if location is not None and message.forward_origin is not None:
        raise UserError("meetings/forwarded_location.j2")
    accepted = conversation.data.get("proof", ("location",))
    text = message.text if message and "code" in accepted else None
    if location is None and not text:
        raise UserError("meetings/need_code.j2" if "code" in accepted else "meetings/need_location.j2",
                        location="location" in accepted)
    return ((location.latitude, location.longitude) if location else None), text


async def location_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member's proof of presence: their location at the venue, or the code shown there."""
    by_location = "location" in conversation.data.get("proof", ("location",))
    try:
        location, code = _proof_of(update, conversation)
        done = await meetings.check_in(context.svc, update.effective_user.id, conversation.data["meeting_id"],
                                       location, code=code)
    except UserError as refusal:
        # Asked again (not there yet, a wrong code, typed text): the key to share the location comes back.
        again = by_location and refusal.template in ASK_AGAIN
        await reply(update, context, refusal.template, _location_keyboard() if again else ReplyKeyboardRemove(),
                    **refusal.params)
        return
    await _answer_check_in(update, context, done)


ASK_AGAIN = ("meetings/need_location.j2", "meetings/need_code.j2", "meetings/too_far.j2", "meetings/bad_code.j2",
             "meetings/forwarded_location.j2")


async def leave_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member typed the reason for their leave."""
    text = update.message.text if update.message else None
    info = await meetings.submit_leave(context.svc, update.effective_user.id, conversation.data["meeting_id"], text)
    await reply(update, context, "meetings/leave_sent.j2", **info)


@guarded
async def makeup_command(update: Update, context: ZhibuContext) -> None:
    """/makeup: the member's open make-up tasks, each with a button to write it."""
    open_tasks = await meetings.open_makeups(context.svc, update.effective_user.id)
    rows = [[button("meetings/makeup_task", cb.makeup(s.id), meeting=s.content.get("meeting"))] for s in open_tasks[:10]]
    await reply(update, context, "meetings/makeup_list.j2", rows, tasks=[s.content for s in open_tasks])


@guarded
async def attendance_command(update: Update, context: ZhibuContext) -> None:
    """/attendance [month]: tally and names of that month's attendance."""
    label, tallies = await meetings.attendance_for(context.svc, update.effective_user.id,
                                                   " ".join(context.args) if context.args else None)
    if not tallies:
        await reply(update, context, "meetings/no_meetings.j2", label=label)
    for result in tallies:
        await reply(update, context, "meetings/tally.j2", _tally_rows(result), **_tally_params(result))


@guarded
async def me_command(update: Update, context: ZhibuContext) -> None:
    """/me: my own attendance record, and my post and pledge this year (亮身份、亮职责、亮承诺)."""
    member, lines = await meetings.history(context.svc, update.effective_user.id)
    owed = [line for line in lines if line["makeup"] in ("draft", "returned")][:10]  # each 待补课 line's button
    rows = [[button("meetings/todo_makeup", cb.makeup(line["makeup_id"]), meeting=line["name"],
                    returned=line["makeup"] == "returned")] for line in owed]
    pledge = await pledges.current(context.svc, update.effective_user.id)
    await reply(update, context, "meetings/me.j2", rows, member=member, lines=lines,
                pledge=pledge.model_dump() if pledge else None)


def _tally_params(result: meetings.MeetingTally) -> dict:
    return {**result.info, "tally": result.tally.__dict__, "closed": result.closed, "made_up": result.made_up,
            "due": None, "undecided": [name for _, name in result.undecided], "notes": result.notes}


async def _after_check_in(update: Update, context: ZhibuContext, done: meetings.CheckIn) -> None:
    if not done.already:  # a second tap is answered by the toast alone
        await _answer_check_in(update, context, done)


def _checked_in(done: meetings.CheckIn) -> tuple[str, dict]:
    return "checked_in", {"already": done.already, "presence": done.presence.value if done.presence else None}


def _proxy_list(found: tuple) -> tuple[list[list[Button]], dict]:
    meeting, waiting, info = found
    return _proxy_rows(meeting.id, waiting), {"count": len(waiting), **info}


async def _proxy_check_in(svc, user_id: int, meeting_id: int, member_id: int) -> tuple:
    """Checked in by proxy, and the list as it is now."""
    done = await meetings.proxy_check_in(svc, user_id, meeting_id, member_id)
    return done, await meetings.proxy_candidates(svc, user_id, meeting_id)


def _correct_rows(found: tuple) -> list[list[Button]]:
    meeting, absent = found
    return [[button("meetings/person", cb.correct_member(meeting.id, m.id), name=m.name) for m in absent[i : i + 3]]
            for i in range(0, min(len(absent), 45), 3)]


async def _correct(svc, user_id: int, meeting_id: int, member_id: int) -> tuple:
    """Recorded as present after all, and the tally as it is now."""
    target = await meetings.correct_to_present(svc, user_id, meeting_id, member_id)
    return target, await meetings.attendance_for_meeting(svc, user_id, meeting_id)


PRESSES = (
    Press(cb.checkin, meetings.check_in, _checked_in, _after_check_in,
          "签到: re-checked against the window, the venue and who is pressing."),
    Press(cb.leave, meetings.begin_leave, None,
          replies("meetings/ask_reason.j2", params=lambda info: {"max": meetings.REASON_MAX, **info}),
          "请假: ask for the reason."),
    Press(cb.proxy_list, meetings.proxy_candidates, None,
          replies("meetings/proxy_list.j2", lambda f: _proxy_list(f)[0], lambda f: _proxy_list(f)[1]),
          "代签到: the members not checked in yet, one button each."),
    Press(cb.proxy_checkin, _proxy_check_in,
          lambda r: ("proxy_checked_in", {"who": r[0].member.name, "already": r[0].already,
                                          "presence": r[0].presence.value}),
          edits("meetings/proxy_list.j2", lambda r: _proxy_list(r[1])[0], lambda r: _proxy_list(r[1])[1]),
          "A name on the 代签到 list: checked in by proxy, the list shrinks in place."),
    Press(cb.makeup, meetings.begin_makeup, None, drafting.show,
          "提交补课材料: start (or resume) the make-up form."),
    Press(cb.correct, meetings.absentees, None,
          replies("meetings/correct_pick.j2", _correct_rows, lambda f: {"count": len(f[1])}),
          "更正：实际到场: the absentees, one button each."),
    Press(cb.correct_member, _correct, lambda r: ("attendance_corrected", {"name": r[0].name}),
          edits("meetings/tally.j2", lambda r: _tally_rows(r[1]), lambda r: _tally_params(r[1])),
          "An absentee's name: recorded as present after all, the tally shown again."),
    Press(cb.tally, meetings.attendance_for_meeting, None, edits("meetings/tally.j2", _tally_rows, _tally_params),
          "刷新 on a tally."),
    Press(cb.tally_show, meetings.attendance_for_meeting, None,
          replies("meetings/tally.j2", _tally_rows, _tally_params),
          "A meeting's tally from the digest: a new message (the digest stays), with 记录补课 / 更正."),
)


# What members type instead of /checkin and /leave (bot.features.Phrase: only while no form waits for an answer).
PHRASES = (
    Phrase(("签到", "到了", "我到了", "已到", "我已到", "到", "签到了", "我来了", "已到达", "打卡"), checkin_command),
    Phrase(("请假", "我要请假", "请个假", "我想请假", "要请假"), leave_command),
)

FORMS = (
    Form("checkin_location", location_step),
    Form("leave", leave_step),
    drafting.form(meetings.MAKEUP_DRAFT, resume="/makeup"),
)


def handlers() -> list:
    return [CommandHandler("checkin", checkin_command), CommandHandler("makeup", makeup_command),
            CommandHandler("leave", leave_command),
            CommandHandler("attendance", attendance_command), CommandHandler("me", me_command),
            *presses(PRESSES)]
