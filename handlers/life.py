"""/shenghuohui: a unit's 民主生活会 — its officers keep the leadership team (领导班子 and 列席), schedule the meeting
(details → preview → 发布), decide leave and keep the record; each person asked checks in, asks for leave and hands
in the written statement. Answered in the private chat only."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import life as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.services import life_attend, life_meetings, life_team
from handlers.telegram.common import guarded, reply, require_private
from handlers.telegram.presses import Press, edits, presses, replies


def _rows(shown: dict) -> list:
    return shown["buttons"]


def _text(update: Update) -> str | None:
    return update.message.text if update.message else None


@guarded
async def life_command(update: Update, context: ZhibuContext) -> None:
    """/shenghuohui: an officer's unit (team, meetings, what to do); a team member's meetings."""
    require_private(update)
    shown = await life_team.home(context.svc, update.effective_user.id)
    if "unit_view" in shown:
        await reply(update, context, "life/unit.j2", _rows(shown["unit_view"]), v=shown["unit_view"])
    else:
        await reply(update, context, "life/home.j2", _rows(shown), h=shown)


async def person_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """A name (and maybe a Telegram id) typed: the person joins the team."""
    done = await life_team.person_typed(context.svc, update.effective_user.id, conversation.data, _text(update))
    await reply(update, context, "life/unit.j2", _rows(done["view"]), v=done["view"], done=done)


async def details_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """Time, place and topic typed (again, to change them): the preview with 发布 and 放弃."""
    shown = await life_meetings.details_typed(context.svc, update.effective_user.id, conversation.data, _text(update))
    await reply(update, context, "life/preview.j2", _rows(shown), p=shown)


async def leave_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The reason for leave: the request goes to the other officers."""
    shown = await life_attend.leave_typed(context.svc, update.effective_user.id, conversation.data, _text(update))
    await reply(update, context, "life/leave_asked.j2", None, m=shown)


async def statement_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The written statement: kept for the meeting."""
    shown = await life_attend.statement_typed(context.svc, update.effective_user.id, conversation.data,
                                              _text(update))
    await reply(update, context, "life/statement_kept.j2", None, m=shown)


async def record_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The record, then the criticism: the next question, or the card with what was conveyed."""
    done = await life_meetings.record_typed(context.svc, update.effective_user.id, conversation.step,
                                           conversation.data, _text(update))
    if "asked" in done:
        await reply(update, context, "life/ask_record.j2", None, a=done["asked"])
    else:
        await reply(update, context, "life/card.j2", _rows(done["card"]), c=done["card"], done=done)


async def _statements_shown(update: Update, context: ZhibuContext, found: list[dict]) -> None:
    for statement in found:  # one message each: several statements together could pass Telegram's 4,096
        await reply(update, context, "life/statement_shown.j2", None, s=statement)


async def _approve(svc, user_id: int, meeting_id: int, person_id: int) -> dict:
    return await life_attend.decide(svc, user_id, meeting_id, person_id, True)


async def _refuse(svc, user_id: int, meeting_id: int, person_id: int) -> dict:
    return await life_attend.decide(svc, user_id, meeting_id, person_id, False)


PRESSES = (
    Press(cb.unit, life_team.unit_view, None, replies("life/unit.j2", _rows, lambda v: {"v": v}),
          "A unit of the officer's: its team and meetings."),
    Press(cb.add, life_team.begin_add, None, replies("life/ask_person.j2", params=lambda a: {"a": a}),
          "➕ 班子成员 / ➕ 列席人员: ask for the name."),
    Press(cb.officers, life_team.add_officers, None,
          edits("life/unit.j2", lambda d: _rows(d["view"]), lambda d: {"v": d["view"], "done": d}),
          "👥 本单位管理员加入: the unit's officers join the team."),
    Press(cb.remove, life_team.remove, None,
          edits("life/unit.j2", lambda d: _rows(d["view"]), lambda d: {"v": d["view"], "done": d}),
          "✖ a person: off the team."),
    Press(cb.new, life_meetings.begin_new, None, replies("life/ask_details.j2", params=lambda a: {"a": a}),
          "📅 安排民主生活会: ask for time, place and topic."),
    Press(cb.publish, life_meetings.publish, None, edits("life/card.j2", _rows, lambda c: {"c": c}),
          "发布: the meeting is made and the team told."),
    Press(cb.discard, life_meetings.discard, None, edits("life/discarded.j2"), "放弃: the draft is dropped."),
    Press(cb.show, life_team.card, None, replies("life/card.j2", _rows, lambda c: {"c": c}),
          "A meeting's card for its officers."),
    Press(cb.checkin, life_attend.check_in, None, replies("life/checked_in.j2", params=lambda m: {"m": m}),
          "签到 at a 民主生活会."),
    Press(cb.proxy, life_attend.proxy_check_in, None, edits("life/card.j2", _rows, lambda c: {"c": c}),
          "✅ 代签到: an officer checks in someone without Telegram; the card again."),
    Press(cb.leave, life_attend.begin_leave, None, replies("life/ask_reason.j2", params=lambda m: {"m": m}),
          "请假: ask for the reason."),
    Press(cb.approve, _approve, None, edits("life/leave_done.j2", params=lambda d: {"d": d}), "批准 a leave."),
    Press(cb.refuse, _refuse, None, edits("life/leave_done.j2", params=lambda d: {"d": d}), "不批准 a leave."),
    Press(cb.statement, life_attend.begin_statement, None,
          replies("life/ask_statement.j2", params=lambda m: {"m": m}), "✍️ 书面发言: ask for the statement."),
    Press(cb.statements, life_attend.statements, None, _statements_shown,
          "📄 书面发言 on the card: each statement handed in."),
    Press(cb.cancel, life_meetings.ask_cancel, None, edits("life/confirm_cancel.j2", _rows, lambda m: {"m": m}),
          "✖ 取消会议: asks to confirm."),
    Press(cb.cancel_confirmed, life_meetings.cancel, None, edits("life/cancelled_done.j2", params=lambda m: {"m": m}),
          "确认取消: called off, the people asked told."),
    Press(cb.record, life_meetings.begin_record, None, replies("life/ask_record.j2", params=lambda a: {"a": a}),
          "📝 记录会议: ask for what was discussed."),
)

FORMS = (Form(life_team.ADD_FORM, person_step), Form(life_meetings.NEW_FORM, details_step),
         Form(life_attend.LEAVE_FORM, leave_step), Form(life_attend.STATEMENT_FORM, statement_step),
         Form(life_meetings.RECORD_FORM, record_step))


def handlers() -> list:
    return [CommandHandler("shenghuohui", life_command), *presses(PRESSES)]
