"""A task's progress for the officers who issued it — each branch's state, 催办 for the missing ones, closing it,
and the submissions waiting for review — and the secretary's 提交材料 (bot/services/tasks/)."""

from __future__ import annotations

from telegram import Update

from bot import fit
from bot.callbacks import review as review_cb
from bot.callbacks import tasks as cb
from bot.context import ZhibuContext
from bot.domain.tasks import BranchState, TaskStatus
from bot.outgoing import Button, button
from bot.services.tasks import handin, progress
from handlers import drafting
from handlers.telegram.common import edit, reply
from handlers.telegram.presses import Press, edits, presses


def _card_rows(view: progress.TaskView) -> list[list[Button]]:
    tid = view.task.id
    rows = [[button("tasks/review", review_cb.show(r.standing.submission.id), branch=r.branch.name)]
            for r in view.rows if r.standing.state is BranchState.WAITING and r.standing.submission][:10]
    owing = view.counts["missing"] + view.counts["returned"]
    if view.task.status is TaskStatus.OPEN:
        rows.append(([button("tasks/urge", cb.urge(tid), count=owing)] if owing else [])
                    + [button("tasks/close", cb.close(tid))])
    return rows + [[button("tasks/back", cb.listing())]]


async def _show_card(update: Update, context: ZhibuContext, view: progress.TaskView,
                     urged: list[str] | None = None) -> None:
    """The card edited in place: kept to one message (a long task text is shortened; the lists are capped)."""
    today = [r.branch.name for r in view.rows if r.urged_today] if urged is None else urged
    params, _ = fit.fit("tasks/view.j2", {"t": view.params(), "urged": today}, key="t")
    await edit(update, "tasks/view.j2", _card_rows(view), **params)


def list_rows(views: list[progress.TaskView]) -> list[list[Button]]:
    rows = [[button("tasks/item", cb.card(v.task.id), title=v.task.title[:20],
                    missing=v.counts["missing"] + v.counts["returned"])] for v in views]
    return rows + [[button("tasks/new", cb.new())]]


async def _urge(svc, user_id: int, task_id: int) -> tuple:
    return await progress.urge(svc, user_id, task_id), await progress.view(svc, user_id, task_id)


async def _urged(update: Update, context: ZhibuContext, done: tuple) -> None:
    """What was urged (and what had been today already), then the card as it is now."""
    urged, view = done
    await reply(update, context, "tasks/urge_done.j2", urged=urged.urged, already=urged.already)
    await _show_card(update, context, view)


async def _draft_shown(update: Update, context: ZhibuContext, draft) -> None:  # noqa: ANN001  (a drafts.Draft)
    await drafting.show(update, context, draft)


PRESSES = (
    Press(cb.card, progress.view, None, _show_card,
          "A task: where each branch stands (re-checked: a task of the officer's subtree)."),
    Press(cb.listing, progress.officer_tasks, None,
          edits("tasks/list.j2", list_rows, lambda views: {"tasks": [v.params() for v in views]}),
          "« 返回任务列表: the officer's tasks."),
    Press(cb.urge, _urge, None, _urged, "催办未交: each branch still missing is told once today."),
    Press(cb.close, progress.view, None,
          edits("tasks/confirm_close.j2",
                lambda view: [[button("tasks/close_confirmed", cb.close_confirmed(view.task.id)),
                               button("tasks/back", cb.card(view.task.id))]],
                lambda view: {"title": view.task.title}),
          "结束任务: asks to confirm."),
    Press(cb.close_confirmed, progress.close, None, _show_card,
          "确认结束: no more hand-ins; the card shows the final state."),
    Press(cb.submit, handin.start, None, _draft_shown,
          "提交材料 (the secretary): the branch's draft for the task opens; what they send next goes into it."),
)


def handlers() -> list:
    return presses(PRESSES)
