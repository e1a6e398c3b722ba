"""/minutes: the meeting record, pre-filled, answered field by field (text and photos), previewed with an edit
button per field, and submitted for review (handlers/review.py shows the card)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain import minutes as rules
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import minutes
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.forms import register_form

FIELD_LABELS = {"when": "时间", "place": "地点", "host": "主持人", "recorder": "记录人", "topic": "主题",
                "agenda": "议题", "content": "内容", "resolutions": "决议", "photos": "照片"}


def _rows(form: minutes.Form) -> list[list[Button]]:
    sid = form.submission.id
    if form.step == "confirm":
        edits = [Button(label=f"✏️ {FIELD_LABELS[f]}", data=f"mn:e:{sid}:{f}") for f in ("when", "place", "host",
                                                                                           "recorder")]
        return [[Button(label="✅ 信息无误，继续", data=f"mn:c:{sid}")], edits[:2], edits[2:]]
    if form.step == "resolutions":
        return [[Button(label="本次无决议", data=f"mn:n:{sid}")]]
    if form.step == "photos":
        row = [Button(label=f"✅ 完成（{form.photos} 张）" if form.photos else "跳过，不附照片", data=f"mn:d:{sid}")]
        if form.photos:
            row.append(Button(label="🗑 清空照片", data=f"mn:x:{sid}"))
        return [row]
    if form.step == "preview":
        edits = [Button(label=f"✏️ {label}", data=f"mn:e:{sid}:{name}") for name, label in FIELD_LABELS.items()]
        return [edits[0:3], edits[3:6], edits[6:9], [Button(label="📤 提交审核", data=f"mn:s:{sid}")]]
    return []


def _params(form: minutes.Form) -> dict:
    limit = rules.TEXT_FIELDS.get(form.step, (None, None))[1]
    return {"step": form.step, "c": form.content, "attendance": form.attendance, "photos": form.photos,
            "max": limit, "status": form.submission.status.value, "comment": form.submission.comment,
            "due": form.deadline, "label": FIELD_LABELS.get(form.step)}


async def _show(update: Update, context: ZhibuContext, form: minutes.Form, as_edit: bool = False) -> None:
    if as_edit:
        await edit(update, "minutes/prompt.j2", _rows(form), **_params(form))
    else:
        await reply(update, context, "minutes/prompt.j2", _rows(form), **_params(form))


@guarded
async def minutes_command(update: Update, context: ZhibuContext) -> None:
    """/minutes [meeting number]: the record under way, else the meetings waiting for a record."""
    svc, user_id = context.svc, update.effective_user.id
    if context.args:
        try:
            meeting_id = int(context.args[0])
        except ValueError:
            raise UserError("minutes/no_meeting.j2", meeting_id=context.args[0]) from None
        await _show(update, context, await minutes.open_record(svc, user_id, meeting_id))
        return
    form = await minutes.resume(svc, user_id)
    if form is not None:
        await _show(update, context, form)
        return
    found = await minutes.choices(svc, user_id)
    rows = [[Button(label=f"{c.info['name']} {c.day}", data=f"mn:p:{c.meeting.id}")] for c in found]
    await reply(update, context, "minutes/choose.j2", rows, choices=found)


async def form_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """A typed field, or a photo for the record; kept before the next prompt."""
    message = update.message
    file = (message.photo[-1].file_id, "photo") if message.photo else (
        (message.document.file_id, "document") if message.document else None)
    if message.location is not None:
        file = ("", "location")
    form = await minutes.answer(context.svc, update.effective_user.id, conversation.step, conversation.data,
                                message.text, file)
    if form.step == "photos" and conversation.step == "photos":
        await reply(update, context, "minutes/photo_kept.j2", _rows(form), photos=form.photos)
        return
    await _show(update, context, form)


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """Pick a meeting, confirm, no resolutions, photos done/cleared, edit a field, submit — each re-checked."""
    parts = callback_parts(update, "mn")
    if len(parts) < 2:
        raise UserError("common/stale.j2")
    action, key, svc, user_id = parts[0], int_or_stale(parts[1]), context.svc, update.effective_user.id
    if action == "p":
        form = await minutes.open_record(svc, user_id, key)
        await update.callback_query.answer()
        await _show(update, context, form)
        return
    if action == "s":
        await minutes.submit(svc, user_id, key)
        await toast(update, "minutes_submitted")
        await edit(update, "minutes/submitted.j2")
        return
    actions = {"c": "confirm", "n": "none", "d": "done", "x": "clear", "e": "edit", "v": "view"}
    if action not in actions:
        raise UserError("common/stale.j2")
    form = await minutes.press(svc, user_id, key, actions[action], parts[2] if len(parts) > 2 else None)
    await update.callback_query.answer()
    await _show(update, context, form)


register_form(minutes.FORM, form_step, resume="/minutes")


def handlers() -> list:
    return [CommandHandler("minutes", minutes_command), CallbackQueryHandler(on_button, pattern=r"^mn:")]
