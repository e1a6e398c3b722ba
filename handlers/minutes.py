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
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses


def _edit_buttons(sid: int, fields: tuple[str, ...]) -> list[Button]:
    return [button("minutes/edit", cb.edit_field(sid, name), field=name) for name in fields]


def _rows(form: minutes.Form) -> list[list[Button]]:
    sid = form.submission.id
    done = [button("minutes/field_done", cb.field_done(sid), back=bool(form.extra.get("back")))]
    if form.step in rules.LONG_FIELDS and form.extra.get("editing"):  # written before: add to it, or write anew
        fresh = bool(form.extra.get("fresh"))
        return [[button("minutes/append", cb.append(sid), chosen=not fresh),
                 button("minutes/replace", cb.replace(sid), chosen=fresh)], done]
    if form.step in rules.LONG_FIELDS and (form.content.get(form.step) or "").strip():  # written (in part)
        return [done]
    if form.step == "confirm":
        edits = _edit_buttons(sid, ("when", "place", "host", "recorder"))
        return [[button("minutes/confirm", cb.confirm(sid))], edits[:2], edits[2:]]
    if form.step == "resolutions":
        return [[button("minutes/no_resolutions", cb.no_resolutions(sid))]]
    if form.step == "votes":  # 本次无表决 until one is kept, then on to the next question
        return [done if form.content.get("votes") else [button("minutes/no_votes", cb.no_resolutions(sid))]]
    if form.step == "photos":
        row = [button("minutes/photos_done", cb.photos_done(sid), count=form.photos)]
        if form.photos:
            row.append(button("minutes/photos_clear", cb.photos_clear(sid)))
        return [row]
    return _preview_rows(form) if form.step == "preview" else []


def _preview_rows(form: minutes.Form) -> list[list[Button]]:
    sid = form.submission.id
    edits = _edit_buttons(sid, minutes.EDITABLE_FIELDS[:9])
    more = (("criticism",) if statements.takes_criticism(form.content) else ()) + (  # 组织生活会 only
        ("votes",) if form.content.get("takes_votes") else ())  # a meeting that votes
    return [edits[0:3], edits[3:6], edits[6:9], _edit_buttons(sid, more), [button("minutes/submit", cb.submit(sid))]]


def _params(form: minutes.Form) -> dict:
    limit = rules.TEXT_FIELDS.get(form.step, (None, None))[1]
    return {"step": form.step, "c": form.content, "attendance": form.attendance, "photos": form.photos,
            "max": limit, "status": form.submission.status.value, "comment": form.submission.comment,
            "due": form.deadline, "fresh": form.extra.get("fresh"), "editing": form.extra.get("editing"),
            "votes": form.votes, "voting": form.voting,
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


def _step(action: Action):
    """A button that moves the form (minutes.press names its step by the action)."""
    async def run(svc, user_id: int, submission_id: int, field: str | None = None) -> minutes.Form:
        return await minutes.press(svc, user_id, submission_id, cb.PRESSES.get(action, "edit"), field)
    return run


PRESSES = (
    Press(cb.pick, minutes.open_record, None, _show,
          "A meeting waiting for its record (or 填写会议记录 under a reminder): the form opens."),
    Press(cb.submit, minutes.submit, "minutes_submitted", edits("minutes/submitted.j2"),
          "提交审核: the record goes to the secretary."),
    Press(cb.confirm, _step(cb.confirm), None, _show, "信息无误，继续: on to the first question."),
    Press(cb.no_resolutions, _step(cb.no_resolutions), None, _show, "本次无决议: the resolutions stay empty."),
    Press(cb.photos_done, _step(cb.photos_done), None, _show, "完成 / 跳过: the photos are done, on to the preview."),
    Press(cb.photos_clear, _step(cb.photos_clear), None, _show, "清空照片: the photos so far are dropped."),
    Press(cb.view, _step(cb.view), None, _show, "The preview of the record as it stands."),
    Press(cb.field_done, _step(cb.field_done), None, _show,
          "▶️ 下一项 / ✅ 完成: the long field is written; on to the next question (or back to the preview)."),
    Press(cb.edit_field, _step(cb.edit_field), None, _show, "✏️ a field: ask for it again."),
    Press(cb.append, _step(cb.append), None, _show,
          "➕ 追加 while editing a written long field: what is sent next is added after its text."),
    Press(cb.replace, _step(cb.replace), None, _show,
          "🔄 替换 while editing a written long field: the next message replaces its text."),
)


FORMS = (Form(minutes.FORM, form_step, resume="/minutes"),)


def handlers() -> list:
    return [CommandHandler("minutes", minutes_command), *presses(PRESSES)]
