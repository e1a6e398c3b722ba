"""/minutes: the meeting record, pre-filled, answered field by field (text and photos), previewed with an edit
button per field, and submitted for review (handlers/review.py shows the card)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import Action
from bot.callbacks import minutes as cb
from bot.context import ZhibuContext
from bot.domain import minutes as rules
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.ids import parse_id
from bot.outgoing import Button, button
from bot.services import minutes, statements
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast

FIELD_LABELS = {"when": "时间", "place": "地点", "host": "主持人", "recorder": "记录人", "topic": "主题",
                "agenda": "议题", "content": "内容", "resolutions": "决议", "photos": "照片",
                "criticism": "批评意见"}


def _edit_buttons(sid: int, fields: tuple[str, ...]) -> list[Button]:
    return [button("minutes/edit", cb.edit_field(sid, name), field=FIELD_LABELS[name]) for name in fields]


def _rows(form: minutes.Form) -> list[list[Button]]:
    sid = form.submission.id
    if form.step in rules.LONG_FIELDS and (form.content.get(form.step) or "").strip():  # written (in part)
        return [[button("minutes/field_done", cb.field_done(sid), back=bool(form.extra.get("back")))]]
    if form.step == "confirm":
        edits = _edit_buttons(sid, ("when", "place", "host", "recorder"))
        return [[button("minutes/confirm", cb.confirm(sid))], edits[:2], edits[2:]]
    if form.step == "resolutions":
        return [[button("minutes/no_resolutions", cb.no_resolutions(sid))]]
    if form.step == "photos":
        row = [button("minutes/photos_done", cb.photos_done(sid), count=form.photos)]
        if form.photos:
            row.append(button("minutes/photos_clear", cb.photos_clear(sid)))
        return [row]
    if form.step == "preview":
        edits = _edit_buttons(sid, tuple(FIELD_LABELS))
        criticism = edits[9:] if statements.takes_criticism(form.content) else []  # 组织生活会 only
        return [edits[0:3], edits[3:6], edits[6:9], criticism, [button("minutes/submit", cb.submit(sid))]]
    return []


def _params(form: minutes.Form) -> dict:
    limit = rules.TEXT_FIELDS.get(form.step, (None, None))[1]
    return {"step": form.step, "c": form.content, "attendance": form.attendance, "photos": form.photos,
            "max": limit, "status": form.submission.status.value, "comment": form.submission.comment,
            "due": form.deadline, "label": FIELD_LABELS.get(form.step), "fresh": form.extra.get("fresh"),
            "back": form.extra.get("back")}


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
        meeting_id = parse_id(context.args[0])  # None for words, and for numbers beyond any id
        if meeting_id is None:
            raise UserError("minutes/no_meeting.j2", meeting_id=context.args[0])
        await _show(update, context, await minutes.open_record(svc, user_id, meeting_id))
        return
    form = await minutes.resume(svc, user_id)
    if form is not None:
        await _show(update, context, form)
        return
    found = await minutes.choices(svc, user_id)
    rows = [[button("minutes/meeting", cb.pick(c.meeting.id), name=c.info["name"], day=c.day)] for c in found]
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
    if form.extra.get("kept"):
        await reply(update, context, "minutes/part_kept.j2", _rows(form), **_params(form))
        return
    await _show(update, context, form)


@guarded
async def pick_pressed(update: Update, context: ZhibuContext) -> None:
    """A meeting waiting for its record (or 填写会议记录 under a reminder): the form opens."""
    (meeting_id,) = pressed(update, cb.pick)
    form = await minutes.open_record(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await _show(update, context, form)


@guarded
async def submit_pressed(update: Update, context: ZhibuContext) -> None:
    """提交审核: the record goes to the secretary."""
    (submission_id,) = pressed(update, cb.submit)
    await minutes.submit(context.svc, update.effective_user.id, submission_id)
    await toast(update, "minutes_submitted")
    await edit(update, "minutes/submitted.j2")


async def _press(update: Update, context: ZhibuContext, action: Action, field: str | None = None) -> None:
    (submission_id, *_) = pressed(update, action)
    form = await minutes.press(context.svc, update.effective_user.id, submission_id, cb.PRESSES.get(action, "edit"),
                               field)
    await update.callback_query.answer()
    await _show(update, context, form)


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """信息无误，继续: on to the first question."""
    await _press(update, context, cb.confirm)


@guarded
async def no_resolutions_pressed(update: Update, context: ZhibuContext) -> None:
    """本次无决议: the resolutions stay empty."""
    await _press(update, context, cb.no_resolutions)


@guarded
async def photos_done_pressed(update: Update, context: ZhibuContext) -> None:
    """完成 / 跳过: the photos are done, on to the preview."""
    await _press(update, context, cb.photos_done)


@guarded
async def photos_clear_pressed(update: Update, context: ZhibuContext) -> None:
    """清空照片: the photos so far are dropped."""
    await _press(update, context, cb.photos_clear)


@guarded
async def view_pressed(update: Update, context: ZhibuContext) -> None:
    """The preview of the record as it stands."""
    await _press(update, context, cb.view)


@guarded
async def field_done_pressed(update: Update, context: ZhibuContext) -> None:
    """▶️ 下一项 / ✅ 完成: the long field is written; on to the next question (or back to the preview)."""
    await _press(update, context, cb.field_done)


@guarded
async def edit_field_pressed(update: Update, context: ZhibuContext) -> None:
    """✏️ a field: ask for it again."""
    _, field = pressed(update, cb.edit_field)
    await _press(update, context, cb.edit_field, field)


FORMS = (Form(minutes.FORM, form_step, resume="/minutes"),)


def handlers() -> list:
    return [CommandHandler("minutes", minutes_command), on_press(cb.pick, pick_pressed),
            on_press(cb.submit, submit_pressed), on_press(cb.edit_field, edit_field_pressed),
            on_press(cb.confirm, confirm_pressed), on_press(cb.no_resolutions, no_resolutions_pressed),
            on_press(cb.photos_done, photos_done_pressed), on_press(cb.photos_clear, photos_clear_pressed),
            on_press(cb.view, view_pressed), on_press(cb.field_done, field_done_pressed)]
