"""/meeting: schedule a 支部党员大会, 支委会, 党小组会 or 党课 step by step; check-in and leave then run through the
theme day's buttons (handlers/meetings.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.meetings import KIND_LABELS
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import sessions
from handlers.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.forms import register_form

EDIT_LABELS = {"when": "时间", "place": "地点", "topic": "主题", "host": "主持人", "recorder": "记录人"}


def _rows(draft: sessions.Draft) -> list[list[Button]]:
    if draft.step == "kind":
        kinds = [Button(label=KIND_LABELS[k], data=f"mg:k:{k.value}") for k in sessions.SCHEDULABLE]
        return [kinds[:2], kinds[2:], [Button(label="🗓 已安排的会议（可取消）", data="mg:l")]]
    if draft.step == "when_pick":
        return [[Button(label=f"✅ {option}", data=f"mg:w:{i}")] for i, option in enumerate(draft.summary["options"])]
    if draft.step == "audience":
        return [[Button(label=g, data=f"mg:g:{i}")] for i, g in enumerate(draft.groups[:20])]
    if draft.step in ("host", "recorder"):
        code = "h" if draft.step == "host" else "r"
        people = [Button(label=m.name, data=f"mg:{code}:{m.id}") for m in draft.people[:45]]
        return [people[i : i + 3] for i in range(0, len(people), 3)]
    if draft.step == "preview":
        edits = [Button(label=f"✏️ {label}", data=f"mg:e:{name}") for name, label in EDIT_LABELS.items()]
        return [edits[:3], edits[3:], [Button(label="📤 发布", data="mg:ok"), Button(label="🗑 放弃", data="mg:x")]]
    return []


async def _show(update: Update, context: ZhibuContext, draft: sessions.Draft, as_edit: bool = False) -> None:
    params = {"step": draft.step, **draft.summary}
    if as_edit:
        await edit(update, "sessions/prompt.j2", _rows(draft), **params)
    else:
        await reply(update, context, "sessions/prompt.j2", _rows(draft), **params)


@guarded
async def start_meeting(update: Update, context: ZhibuContext) -> None:
    """/meeting: start (or resume) scheduling a meeting."""
    await _show(update, context, await sessions.begin(context.svc, update.effective_user.id))


async def text_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The time, place or topic, typed."""
    text = update.message.text if update.message else None
    if text is None and conversation.step in ("when", "place", "topic"):
        raise UserError("sessions/need_text.j2", field=EDIT_LABELS[conversation.step])
    await _show(update, context, await sessions.answer(context.svc, update.effective_user.id, conversation.step, text))


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """Type, party group, host, recorder, edit, 发布 and 放弃 — each checked against the saved form."""
    parts = callback_parts(update, "mg")
    if not parts:
        raise UserError("common/stale.j2")
    action, svc, user_id = parts[0], context.svc, update.effective_user.id
    arg = parts[1] if len(parts) > 1 else None
    if action == "k" and arg:
        draft = await sessions.choose_kind(svc, user_id, arg)
    elif action == "g" and arg:
        draft = await sessions.choose_group(svc, user_id, int_or_stale(arg))
    elif action in ("h", "r") and arg:
        draft = await sessions.choose_person(svc, user_id, "host" if action == "h" else "recorder", int_or_stale(arg))
    elif action == "w" and arg:
        draft = await sessions.pick_when(svc, user_id, int_or_stale(arg))
    elif action == "e" and arg:
        draft = await sessions.edit(svc, user_id, arg)
    elif action == "ok":
        meeting, info, told = await sessions.confirm(svc, user_id)
        await toast(update, "meeting_scheduled")
        await edit(update, "sessions/scheduled.j2", told=told, **info)
        return
    elif action == "l":
        planned = await sessions.upcoming(svc, user_id)
        rows = [[Button(label=f"✖ 取消 {info['when'][:12]} {info['name']}", data=f"mg:c:{meeting.id}")]
                for meeting, info in planned[:10]]
        await update.callback_query.answer()
        await reply(update, context, "sessions/upcoming.j2", rows, planned=[info for _, info in planned])
        return
    elif action == "c" and arg:
        info = await sessions.ask_cancel(svc, user_id, int_or_stale(arg))
        await update.callback_query.answer()
        await edit(update, "sessions/confirm_cancel.j2",
                   [[Button(label="确认取消会议", data=f"mg:cc:{arg}"), Button(label="不取消", data="mg:l")]], **info)
        return
    elif action == "cc" and arg:
        info, told = await sessions.cancel(svc, user_id, int_or_stale(arg))
        await toast(update, "meeting_cancelled")
        await edit(update, "sessions/cancelled.j2", told=told, **info)
        return
    elif action == "x":
        await sessions.discard(svc, user_id)
        await toast(update, "meeting_discarded")
        await edit(update, "sessions/discarded.j2")
        return
    else:
        raise UserError("common/stale.j2")
    await update.callback_query.answer()
    await _show(update, context, draft, as_edit=True)


register_form(sessions.FORM, text_step)


def handlers() -> list:
    return [CommandHandler("meeting", start_meeting), CallbackQueryHandler(on_button, pattern=r"^mg:")]
