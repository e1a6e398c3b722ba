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
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies

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


async def text_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The time, place or topic, typed."""
    text = update.message.text if update.message else None
    if text is None and conversation.step in ("when", "place", "topic"):
        raise UserError("scheduling/need_text.j2", field=conversation.step)
    await _show(update, context, await scheduling.answer(context.svc, update.effective_user.id, conversation.step, text))


async def _in_place(update: Update, context: ZhibuContext, draft: scheduling.Draft) -> None:
    await _show(update, context, draft, as_edit=True)


def _upcoming_rows(planned: list) -> list[list[Button]]:
    return [[button("scheduling/cancel", cb.cancel(meeting.id), when=info["when"][:12], name=info["name"])]
            for meeting, info in planned[:10]]


async def _ask_cancel(svc, user_id: int, meeting_id: int) -> tuple:
    return meeting_id, await meeting_cancel.ask_cancel(svc, user_id, meeting_id)


PRESSES = (
    Press(cb.schedule, scheduling.begin_with_kind, None, _show,
          "📅 安排… under a compliance warning: the /meeting form with that kind chosen."),
    Press(cb.when, scheduling.pick_when, None, _in_place, "One reading of an ambiguous time: the one meant."),
    Press(cb.kind, scheduling.choose_kind, None, _in_place, "The type of meeting."),
    Press(cb.group, scheduling.choose_group, None, _in_place, "The party group a 党小组会 is for."),
    Press(cb.host, lambda svc, user_id, mid: scheduling.choose_person(svc, user_id, "host", mid), None, _in_place,
          "Who hosts the meeting."),
    Press(cb.recorder, lambda svc, user_id, mid: scheduling.choose_person(svc, user_id, "recorder", mid), None,
          _in_place, "Who keeps the minutes."),
    Press(cb.edit_field, scheduling.edit, None, _in_place, "✏️ a field on the preview: ask for it again."),
    Press(cb.publish, scheduling.confirm, "meeting_scheduled",
          edits("scheduling/scheduled.j2", params=lambda done: {"told": done[2], **done[1]}),
          "发布: the meeting is scheduled and its members told."),
    Press(cb.upcoming, meeting_cancel.upcoming, None,
          replies("scheduling/upcoming.j2", _upcoming_rows, lambda planned: {"planned": [i for _, i in planned]}),
          "已安排的会议: the meetings still ahead, each with a button to call it off."),
    Press(cb.cancel, _ask_cancel, None,
          edits("scheduling/confirm_cancel.j2",
                lambda asked: [[button("scheduling/cancel_confirm", cb.cancel_confirmed(asked[0])),
                                button("scheduling/keep", cb.upcoming())]],
                lambda asked: asked[1]),
          "✖ 取消: asks to confirm."),
    Press(cb.cancel_confirmed, meeting_cancel.cancel, "meeting_cancelled",
          edits("scheduling/cancelled.j2", params=lambda done: {"told": done[1], **done[0]}),
          "确认取消会议: called off, its members told."),
    Press(cb.discard, scheduling.discard, "meeting_discarded", edits("scheduling/discarded.j2"),
          "放弃: the draft is dropped."),
)


FORMS = (Form(scheduling.FORM, text_step),)


def handlers() -> list:
    return [CommandHandler("meeting", start_meeting), *presses(PRESSES)]
