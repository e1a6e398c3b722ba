"""A task's progress for the officers who issued it — each branch's state, 催办 for the missing ones, closing it,
and the submissions waiting for review — and the secretary's 提交材料 (bot/services/tasks/)."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import review as review_cb
from bot.callbacks import tasks as cb
from bot.context import ZhibuContext
from bot.domain.tasks import BranchState, TaskStatus
from bot.outgoing import Button, button
from bot.services.tasks import handin, progress
from handlers import drafting
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, require_private


def _card_rows(view: progress.TaskView) -> list[list[Button]]:
    tid = view.task.id
    rows = [[button("tasks/review", review_cb.show(r.standing.submission.id), branch=r.branch.name)]
            for r in view.rows if r.standing.state is BranchState.WAITING and r.standing.submission][:10]
    owing = view.counts["missing"] + view.counts["returned"]
    if view.task.status is TaskStatus.OPEN:
        rows.append(([button("tasks/urge", cb.urge(tid), count=owing)] if owing else [])
                    + [button("tasks/close", cb.close(tid))])
    return rows + [[button("tasks/back", cb.listing())]]


async def _show_card(update: Update, view: progress.TaskView, urged: list[str] | None = None) -> None:
    today = [r.branch.name for r in view.rows if r.urged_today] if urged is None else urged
    await edit(update, "tasks/view.j2", _card_rows(view), t=view.params(), urged=today)


@guarded
async def card_pressed(update: Update, context: ZhibuContext) -> None:
    """A task: where each branch stands (re-checked: a task of the officer's subtree)."""
    (task_id,) = pressed(update, cb.card)
    view = await progress.view(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await _show_card(update, view)


@guarded
async def listing_pressed(update: Update, context: ZhibuContext) -> None:
    """« 返回任务列表."""
    pressed(update, cb.listing)
    views = await progress.officer_tasks(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    rows = [[button("tasks/item", cb.card(v.task.id), title=v.task.title[:20],
                    missing=v.counts["missing"] + v.counts["returned"])] for v in views]
    await edit(update, "tasks/list.j2", rows + [[button("tasks/new", cb.new())]], tasks=[v.params() for v in views])


@guarded
async def urge_pressed(update: Update, context: ZhibuContext) -> None:
    """催办未交: each branch still missing is told once today."""
    require_private(update)
    (task_id,) = pressed(update, cb.urge)
    done = await progress.urge(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await reply(update, context, "tasks/urge_done.j2", urged=done.urged, already=done.already)
    await _show_card(update, await progress.view(context.svc, update.effective_user.id, task_id))


@guarded
async def close_pressed(update: Update, context: ZhibuContext) -> None:
    """结束任务: asks to confirm."""
    require_private(update)
    (task_id,) = pressed(update, cb.close)
    view = await progress.view(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await edit(update, "tasks/confirm_close.j2", [[button("tasks/close_confirmed", cb.close_confirmed(task_id)),
                                                    button("tasks/back", cb.card(task_id))]],
               title=view.task.title)


@guarded
async def close_confirmed_pressed(update: Update, context: ZhibuContext) -> None:
    """确认结束: no more hand-ins; the card shows the final state."""
    require_private(update)
    (task_id,) = pressed(update, cb.close_confirmed)
    view = await progress.close(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await _show_card(update, view)


@guarded
async def submit_pressed(update: Update, context: ZhibuContext) -> None:
    """提交材料 (the secretary): the branch's draft for the task opens; what they send next goes into it."""
    require_private(update)
    (task_id,) = pressed(update, cb.submit)
    draft = await handin.start(context.svc, update.effective_user.id, task_id)
    await update.callback_query.answer()
    await drafting.show(update, context, draft)


def handlers() -> list:
    return [on_press(cb.card, card_pressed), on_press(cb.listing, listing_pressed), on_press(cb.urge, urge_pressed),
            on_press(cb.close, close_pressed), on_press(cb.close_confirmed, close_confirmed_pressed),
            on_press(cb.submit, submit_pressed)]
