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
from handlers import drafting
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, require_private, toast


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


def _list_rows(views: list[progress.TaskView]) -> list[list[Button]]:
    rows = [[button("tasks/item", cb.card(v.task.id), title=v.task.title[:20],
                    missing=v.counts["missing"] + v.counts["returned"])] for v in views]
    return rows + [[button("tasks/new", cb.new())]]


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
        await reply(update, context, "tasks/list.j2", _list_rows(views), tasks=[v.params() for v in views])
    if member and member.is_active and member.is_approver:
        mine = await handin.branch_tasks(svc, user_id)
        await reply(update, context, "tasks/mine.j2", _mine_rows(mine),
                    items=[{**m.info, "state": m.state.value, "comment": m.comment} for m in mine])


@guarded
async def new_pressed(update: Update, context: ZhibuContext) -> None:
    """➕ 新建报送任务: the first question (or the draft under way, where it stopped)."""
    require_private(update)
    pressed(update, cb.new)
    draft = await issue.begin(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await _show_form(update, context, draft)


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


@guarded
async def skip_file_pressed(update: Update, context: ZhibuContext) -> None:
    """不附文件: on to the preview."""
    (task_id,) = pressed(update, cb.skip_file)
    draft = await issue.skip_file(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await _show_form(update, context, draft, as_edit=True)


@guarded
async def edit_pressed(update: Update, context: ZhibuContext) -> None:
    """✏️ on the preview: that part asked again."""
    task_id, name = pressed(update, cb.edit)
    draft = await issue.edit(context.svc, update.effective_user.id, task_id, name)
    await update.callback_query.answer()
    await _show_form(update, context, draft)


@guarded
async def target_pressed(update: Update, context: ZhibuContext) -> None:
    """A range: the branches under that unit; back to the preview."""
    task_id, unit_id = pressed(update, cb.target)
    draft = await issue.choose_target(context.svc, update.effective_user.id, task_id, unit_id)
    await update.callback_query.answer()
    await _show_form(update, context, draft, as_edit=True)


@guarded
async def publish_pressed(update: Update, context: ZhibuContext) -> None:
    """发布: the task goes to every branch in its range."""
    require_private(update)
    (task_id,) = pressed(update, cb.publish)
    draft, count = await issue.publish(context.svc, update.effective_user.id, task_id)
    await toast(update, "task_published", count=count)
    await edit(update, "tasks/published.j2", [[button("tasks/item", cb.card(task_id), title=draft.task.title[:20],
                                                      missing=count)]], info=draft.info, count=count)


@guarded
async def discard_pressed(update: Update, context: ZhibuContext) -> None:
    """放弃: the draft is dropped."""
    (task_id,) = pressed(update, cb.discard)
    await issue.discard(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await edit(update, "tasks/discarded.j2")


FORMS = (Form(issue.FORM, form_step), drafting.form(handin.DRAFT, "/tasks"))


def handlers() -> list:
    return [CommandHandler("tasks", tasks_command), on_press(cb.new, new_pressed),
            on_press(cb.skip_file, skip_file_pressed), on_press(cb.edit, edit_pressed),
            on_press(cb.target, target_pressed), on_press(cb.publish, publish_pressed),
            on_press(cb.discard, discard_pressed)]
