"""/meeting: schedule a 支部党员大会, 支委会, 党小组会 or 党课 step by step; check-in and leave then run through the
theme day's buttons (handlers/meetings.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import scheduling as cb
from bot.context import ZhibuContext
from bot.domain.meetings import KIND_LABELS
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import meeting_cancel, scheduling
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast

EDITABLE = ("when", "place", "topic", "host", "recorder")


def _rows(draft: scheduling.Draft) -> list[list[Button]]:
    if draft.step == "kind":
        kinds = [button("scheduling/kind", cb.kind(k), name=KIND_LABELS[k]) for k in scheduling.SCHEDULABLE]
        return [kinds[:2], kinds[2:], [button("scheduling/upcoming", cb.upcoming())]]
    if draft.step == "when" and draft.data.get("leader_group") and not draft.data.get("back"):  # a 党小组长 starts here
        return [[button("scheduling/upcoming", cb.upcoming())]]
    if draft.step == "when_pick":
        return [[button("scheduling/when_option", cb.when(i), option=option)]
                for i, option in enumerate(draft.summary["options"])]
    if draft.step == "audience":
        return [[button("scheduling/group", cb.group(i), name=g)] for i, g in enumerate(draft.groups[:20])]
    if draft.step in ("host", "recorder"):
        action = cb.host if draft.step == "host" else cb.recorder
        people = [button("scheduling/person", action(m.id), name=m.name) for m in draft.choices()[:45]]
        return [people[i : i + 3] for i in range(0, len(people), 3)]
    if draft.step == "preview":
        edits = [button("scheduling/edit", cb.edit_field(name), field=name) for name in EDITABLE]
        return [edits[:3], edits[3:], [button("scheduling/publish", cb.publish()), button("scheduling/discard", cb.discard())]]
    return []


async def _show(update: Update, context: ZhibuContext, draft: scheduling.Draft, as_edit: bool = False) -> None:
    params = {"step": draft.step, **draft.summary}
    if as_edit:
        await edit(update, "scheduling/prompt.j2", _rows(draft), **params)
    else:
        await reply(update, context, "scheduling/prompt.j2", _rows(draft), **params)


@guarded
async def start_meeting(update: Update, context: ZhibuContext) -> None:
    """/meeting: start (or resume) scheduling a meeting."""
    await _show(update, context, await scheduling.begin(context.svc, update.effective_user.id))


@guarded
async def schedule_pressed(update: Update, context: ZhibuContext) -> None:
    """📅 安排… under a compliance warning: the /meeting form with that kind chosen."""
    (kind,) = pressed(update, cb.schedule)
    draft = await scheduling.begin_with_kind(context.svc, update.effective_user.id, kind)
    await update.callback_query.answer()
    await _show(update, context, draft)


async def text_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The time, place or topic, typed."""
    text = update.message.text if update.message else None
    if text is None and conversation.step in ("when", "place", "topic"):
        raise UserError("scheduling/need_text.j2", field=conversation.step)
    await _show(update, context, await scheduling.answer(context.svc, update.effective_user.id, conversation.step, text))


@guarded
async def when_pressed(update: Update, context: ZhibuContext) -> None:
    """One reading of an ambiguous time: the one the secretary meant."""
    (index,) = pressed(update, cb.when)
    await _step_done(update, context, await scheduling.pick_when(context.svc, update.effective_user.id, index))


async def _step_done(update: Update, context: ZhibuContext, draft: scheduling.Draft) -> None:
    await update.callback_query.answer()
    await _show(update, context, draft, as_edit=True)


@guarded
async def kind_pressed(update: Update, context: ZhibuContext) -> None:
    """The type of meeting."""
    (kind,) = pressed(update, cb.kind)
    await _step_done(update, context, await scheduling.choose_kind(context.svc, update.effective_user.id, kind))


@guarded
async def group_pressed(update: Update, context: ZhibuContext) -> None:
    """The party group a 党小组会 is for."""
    (index,) = pressed(update, cb.group)
    await _step_done(update, context, await scheduling.choose_group(context.svc, update.effective_user.id, index))


@guarded
async def host_pressed(update: Update, context: ZhibuContext) -> None:
    """Who hosts the meeting."""
    (member_id,) = pressed(update, cb.host)
    draft = await scheduling.choose_person(context.svc, update.effective_user.id, "host", member_id)
    await _step_done(update, context, draft)


@guarded
async def recorder_pressed(update: Update, context: ZhibuContext) -> None:
    """Who keeps the minutes."""
    (member_id,) = pressed(update, cb.recorder)
    draft = await scheduling.choose_person(context.svc, update.effective_user.id, "recorder", member_id)
    await _step_done(update, context, draft)


@guarded
async def edit_field_pressed(update: Update, context: ZhibuContext) -> None:
    """✏️ a field on the preview: ask for it again."""
    (field,) = pressed(update, cb.edit_field)
    await _step_done(update, context, await scheduling.edit(context.svc, update.effective_user.id, field))


@guarded
async def publish_pressed(update: Update, context: ZhibuContext) -> None:
    """发布: the meeting is scheduled and its members told."""
    meeting, info, told = await scheduling.confirm(context.svc, update.effective_user.id)
    await toast(update, "meeting_scheduled")
    await edit(update, "scheduling/scheduled.j2", told=told, **info)


@guarded
async def upcoming_pressed(update: Update, context: ZhibuContext) -> None:
    """已安排的会议: the meetings still ahead, each with a button to call it off."""
    planned = await meeting_cancel.upcoming(context.svc, update.effective_user.id)
    rows = [[button("scheduling/cancel", cb.cancel(meeting.id), when=info["when"][:12], name=info["name"])]
            for meeting, info in planned[:10]]
    await update.callback_query.answer()
    await reply(update, context, "scheduling/upcoming.j2", rows, planned=[info for _, info in planned])


@guarded
async def cancel_pressed(update: Update, context: ZhibuContext) -> None:
    """✖ 取消: asks to confirm."""
    (meeting_id,) = pressed(update, cb.cancel)
    info = await meeting_cancel.ask_cancel(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    confirm = [[button("scheduling/cancel_confirm", cb.cancel_confirmed(meeting_id)),
                button("scheduling/keep", cb.upcoming())]]
    await edit(update, "scheduling/confirm_cancel.j2", confirm, **info)


@guarded
async def cancel_confirmed_pressed(update: Update, context: ZhibuContext) -> None:
    """确认取消会议: called off, its members told."""
    (meeting_id,) = pressed(update, cb.cancel_confirmed)
    info, told = await meeting_cancel.cancel(context.svc, update.effective_user.id, meeting_id)
    await toast(update, "meeting_cancelled")
    await edit(update, "scheduling/cancelled.j2", told=told, **info)


@guarded
async def discard_pressed(update: Update, context: ZhibuContext) -> None:
    """放弃: the draft is dropped."""
    await scheduling.discard(context.svc, update.effective_user.id)
    await toast(update, "meeting_discarded")
    await edit(update, "scheduling/discarded.j2")


FORMS = (Form(scheduling.FORM, text_step),)


def handlers() -> list:
    return [CommandHandler("meeting", start_meeting), on_press(cb.schedule, schedule_pressed), on_press(cb.kind, kind_pressed), on_press(cb.group, group_pressed),
            on_press(cb.host, host_pressed), on_press(cb.recorder, recorder_pressed), on_press(cb.when, when_pressed),
            on_press(cb.edit_field, edit_field_pressed), on_press(cb.publish, publish_pressed),
            on_press(cb.upcoming, upcoming_pressed), on_press(cb.cancel, cancel_pressed),
            on_press(cb.cancel_confirmed, cancel_confirmed_pressed), on_press(cb.discard, discard_pressed)]
