"""/tasks: tasks from above (材料报送). An officer writes a task (title, text, last day, an optional template file;
a preview with its range), issues it, follows each branch's state, presses 催办 and closes it; a secretary sees the
tasks to their branch and hands in the material with 提交材料 (the shared drafting form)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import tasks as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.domain.tasks import BranchState
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import membership, units
from bot.services.tasks import handin, issue, progress
from handlers import drafting, task_progress
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses


def _form_rows(draft: issue.Draft) -> list[list[Button]]:
    tid = draft.task.id
    if draft.step == "file":
        return [[button("tasks/skip_file", cb.skip_file(tid))]]
    if draft.step == "targets":
        return [[button("tasks/target", cb.target(tid, unit.id), name=unit.name, count=count)]
                for unit, count in draft.options]
    if draft.step != "preview":
        return []
    edits = [button("tasks/edit", cb.edit(tid, name), field=name) for name in issue.FIELDS]
    return [[button("tasks/publish", cb.publish(tid))], edits[:3], edits[3:],
            [button("tasks/discard", cb.discard(tid))]]


async def _show_form(update: Update, context: ZhibuContext, draft: issue.Draft, as_edit: bool = False) -> None:
    params = {"step": draft.step, "info": draft.info, "targets": draft.targets, "branches": draft.branches}
    if as_edit:
        await edit(update, "tasks/new.j2", _form_rows(draft), **params)
    else:
        await reply(update, context, "tasks/new.j2", _form_rows(draft), **params)


def _mine_rows(mine: list[handin.Mine]) -> list[list[Button]]:
    return [[button("tasks/submit", cb.submit(m.task.id))] for m in mine
            if m.state in (BranchState.MISSING, BranchState.RETURNED)][:10]


@guarded
async def tasks_command(update: Update, context: ZhibuContext) -> None:
    """/tasks: an officer's tasks (with ➕ 新建报送任务); a secretary's tasks from above, each with 提交材料."""
    svc, user_id = context.svc, update.effective_user.id
    officer = await units.is_officer(svc, user_id)
    member = await membership.member_of(svc, user_id)
    if not officer and not (member and member.is_active and member.is_approver):
        raise UserError("tasks/not_allowed.j2")
    if officer:
        views = await progress.officer_tasks(svc, user_id)
        await reply(update, context, "tasks/list.j2", task_progress.list_rows(views), tasks=[v.params() for v in views])
    if member and member.is_active and member.is_approver:
        mine = await handin.branch_tasks(svc, user_id)
        await reply(update, context, "tasks/mine.j2", _mine_rows(mine),
                    items=[{**m.info, "state": m.state.value, "comment": m.comment} for m in mine])


async def form_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The title, the text, the last day typed — or the template file sent — then the next question."""
    message, svc, user_id = update.message, context.svc, update.effective_user.id
    if message is not None and message.document is not None and conversation.step == "file":
        draft = await issue.file_sent(svc, user_id, conversation.data, message.document.file_id,
                                      message.document.file_name, message.document.file_size)
    else:
        draft = await issue.typed(svc, user_id, conversation.data, conversation.step,
                                  message.text if message else None)
    await _show_form(update, context, draft)


def _form(as_edit: bool = False):  # noqa: ANN202  (a press's Then)
    async def show(update: Update, context: ZhibuContext, draft: issue.Draft) -> None:
        await _show_form(update, context, draft, as_edit)
    return show


async def _publish(svc, user_id: int, task_id: int) -> tuple:
    draft, count = await issue.publish(svc, user_id, task_id)
    return draft, count, task_id


PRESSES = (
    Press(cb.new, issue.begin, None, _form(), "➕ 新建报送任务: the first question (or the draft under way, where it stopped)."),
    Press(cb.skip_file, issue.skip_file, None, _form(as_edit=True), "不附文件: on to the preview."),
    Press(cb.edit, issue.edit, None, _form(), "✏️ on the preview: that part asked again."),
    Press(cb.target, issue.choose_target, None, _form(as_edit=True),
          "A range: the branches under that unit; back to the preview."),
    Press(cb.publish, _publish, lambda done: ("task_published", {"count": done[1]}),
          edits("tasks/published.j2",
                lambda done: [[button("tasks/item", cb.card(done[2]), title=done[0].task.title[:20],
                                      missing=done[1])]],
                lambda done: {"info": done[0].info, "count": done[1]}),
          "发布: the task goes to every branch in its range."),
    Press(cb.discard, issue.discard, None, edits("tasks/discarded.j2"), "放弃: the draft is dropped."),
)


FORMS = (Form(issue.FORM, form_step), drafting.form(handin.DRAFT, "/tasks"))


def handlers() -> list:
    return [CommandHandler("tasks", tasks_command), *presses(PRESSES)]
