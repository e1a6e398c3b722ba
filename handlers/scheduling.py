"""/meeting: schedule a 支部党员大会, 支委会, 党小组会, 党课, 组织生活会 or 专题学习 step by step; check-in and leave
then run through the theme day's buttons (handlers/meetings.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import scheduling as cb
from bot.context import ZhibuContext
from bot.domain.meetings import FOR_EVERYONE, KIND_LABELS, MeetingKind
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import meeting_cancel, scheduling
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies

EDITABLE = ("when", "place", "topic", "host", "recorder")
LECTURE = ("when", "place", "topic", "lecturer", "host", "recorder")


def _kind_rows(draft: scheduling.Draft) -> list[list[Button]]:
    """The types of meeting; a 党小组长's form (their 党小组会) offers their group's own 主题党日 instead."""
    if draft.step == "when":
        other = MeetingKind.GROUP if draft.data.get("kind") == MeetingKind.THEME_DAY.value else MeetingKind.THEME_DAY
        return [[button("scheduling/switch_kind", cb.kind(other), group_day=other is MeetingKind.THEME_DAY)],
                [button("scheduling/upcoming", cb.upcoming())]]
    if draft.data.get("within"):  # 同时召开 on /themeday: what the theme day can hold
        return [[button("scheduling/kind", cb.kind(k), name=KIND_LABELS[k]) for k in FOR_EVERYONE]]
    kinds = [button("scheduling/kind", cb.kind(k), name=KIND_LABELS[k]) for k in scheduling.SCHEDULABLE]
    group_day = button("scheduling/group_day", cb.kind(MeetingKind.THEME_DAY))
    return [kinds[:3], kinds[3:], [group_day], [button("scheduling/upcoming", cb.upcoming())]]


def _rows(draft: scheduling.Draft) -> list[list[Button]]:
    if draft.step == "kind" or (draft.step == "when" and draft.data.get("leader_group")
                                and not draft.data.get("back")):  # a 党小组长 starts at the time
        return _kind_rows(draft)
    if draft.step == "when_pick":
        return [[button("scheduling/when_option", cb.when(i), option=option)]
                for i, option in enumerate(draft.summary["options"])]
    if draft.step == "audience":
        return [[button("scheduling/group", cb.group(i), name=g)] for i, g in enumerate(draft.groups[:20])]
    if draft.step in ("host", "recorder", "lecturer"):
        action = {"host": cb.host, "recorder": cb.recorder, "lecturer": cb.lecturer}[draft.step]
        people = [button("scheduling/person", action(m.id), name=m.name) for m in draft.choices()[:45]]
        return [people[i : i + 3] for i in range(0, len(people), 3)]
    if draft.step == "preview":
        lecture = draft.data.get("kind") == MeetingKind.LECTURE.value
        edits = [button("scheduling/edit", cb.edit_field(name), field=name) for name in (LECTURE if lecture else EDITABLE)]
        leader = [[button("scheduling/leader", cb.leader(), leader=draft.summary["leader"])]] if lecture else []
        combine = [[button("scheduling/combine", cb.combine(o.meeting_id), name=o.name)]
                   for o in draft.summary["overlaps"] if o.combinable]
        return [*combine, edits[:3], edits[3:], *leader,
                [button("scheduling/publish", cb.publish()), button("scheduling/discard", cb.discard())]]
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
    if text is None and conversation.step in ("when", "place", "topic", "lecturer"):
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
    Press(cb.within, scheduling.begin_within, None, _show,
          "同时召开 on /themeday: the /meeting form for a meeting held within the coming theme day."),
    Press(cb.when, scheduling.pick_when, None, _in_place, "One reading of an ambiguous time: the one meant."),
    Press(cb.kind, scheduling.choose_kind, None, _in_place, "The type of meeting."),
    Press(cb.group, scheduling.choose_group, None, _in_place, "The party group a 党小组会 is for."),
    Press(cb.host, lambda svc, user_id, mid: scheduling.choose_person(svc, user_id, "host", mid), None, _in_place,
          "Who hosts the meeting."),
    Press(cb.recorder, lambda svc, user_id, mid: scheduling.choose_person(svc, user_id, "recorder", mid), None,
          _in_place, "Who keeps the minutes."),
    Press(cb.lecturer, lambda svc, user_id, mid: scheduling.choose_person(svc, user_id, "lecturer", mid), None,
          _in_place, "Who gives the 党课."),
    Press(cb.leader, scheduling.toggle_leader, None, _in_place,
          "领导干部 on a 党课's preview: whether its lectures count as a leader's."),
    Press(cb.edit_field, scheduling.edit, None, _in_place, "✏️ a field on the preview: ask for it again."),
    Press(cb.publish, scheduling.confirm, "meeting_scheduled",
          edits("scheduling/scheduled.j2", params=lambda done: {"told": done[2], **done[1]}),
          "发布: the meeting is scheduled and its members told."),
    Press(cb.combine, scheduling.combine, "meeting_combined",
          edits("scheduling/held.j2", params=lambda done: {"told": done[2], **done[1]}),
          "并入主题党日: the meeting is held within the theme day at the same time, not on its own."),
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
