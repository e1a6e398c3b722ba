"""/selfeval: the self-evaluation form — section by section, self-grade, preview, edit, submit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import selfeval as cb
from bot.context import ZhibuContext
from bot.domain.evaluation import GRADES
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import selfeval
from handlers.evaluation import show
from handlers.telegram.common import guarded
from handlers.telegram.presses import Press, presses


def _grade_rows(step: selfeval.Step) -> list[list[Button]]:
    sid, current = step.submission.id, step.grade
    labels = [button("evaluation/grade", cb.grade(sid, g), grade=g.label, chosen=g is current) for g in GRADES]
    return [labels[:2], labels[2:]]


def _preview_rows(step: selfeval.Step) -> list[list[Button]]:
    sid = step.submission.id
    edits = [button("evaluation/self_edit", cb.edit_section(sid, s.key), section=s.title) for s in step.all_sections]
    return [[button("evaluation/self_submit", cb.submit(sid))], edits[:2], edits[2:4], edits[4:],
            [button("evaluation/self_regrade", cb.regrade(sid))]]


def _next_rows(step: selfeval.Step) -> list[list[Button]]:
    """下一部分 (or 完成 on the last part, or after an edit) under a section that has text."""
    if not (step.sections.get(step.section.key) or "").strip():
        return []
    data = cb.next_section(step.submission.id, step.section.key)
    if step.last_to_write:
        return [[button("evaluation/self_done", data)]]
    return [[button("evaluation/self_next", data)]]


def _message(step: selfeval.Step) -> tuple[str, list[list[Button]], dict]:
    """The template, buttons and values for where the form stands."""
    sections = step.all_sections
    params = {"step": step, "sections": sections, "total": len(sections)}
    if step.what in ("section", "saved"):
        index = next(i for i, s in enumerate(sections, start=1) if s.key == step.section.key)
        template = "evaluation/self_ask_section.j2" if step.what == "section" else "evaluation/self_saved.j2"
        return template, _next_rows(step), {**params, "index": index, "current": step.sections.get(step.section.key)}
    if step.what == "grade":
        return "evaluation/self_ask_grade.j2", _grade_rows(step), params
    if step.what == "preview":
        return "evaluation/self_preview.j2", _preview_rows(step), params
    return "evaluation/self_view.j2", [], params


async def _show(update: Update, context: ZhibuContext, step: selfeval.Step, as_edit: bool = False) -> None:
    template, rows, params = _message(step)
    await show(update, context, template, rows, as_edit, **params)


@guarded
async def start_selfeval(update: Update, context: ZhibuContext) -> None:
    """/selfeval: resume the draft where it stopped, or show what was handed in."""
    await _show(update, context, await selfeval.start(context.svc, update.effective_user.id))


async def section_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member typed (part of) a section: saved at once; more may follow until 下一部分."""
    text = update.message.text if update.message else None
    step = await selfeval.save_section(context.svc, update.effective_user.id, conversation.step, conversation.data,
                                       text)
    await _show(update, context, step)


async def _edit(update: Update, context: ZhibuContext, step: selfeval.Step) -> None:
    await _show(update, context, step, as_edit=True)


PRESSES = (
    Press(cb.start, selfeval.start, None, _show, "写自评 under a notice or reminder: the form where it stopped."),
    Press(cb.next_section, selfeval.next_section, None, _show,
          "下一部分 / 完成: the section is done; the next question (or the grade, or the preview)."),
    Press(cb.grade, selfeval.set_grade, None, _edit, "A self-grade: kept, then the preview in place."),
    Press(cb.regrade, selfeval.choose_grade_again, None, _edit, "✏️ 自评等次: the grade buttons again."),
    Press(cb.edit_section, selfeval.edit_section, None, _show, "✏️ a section: ask for it again."),
    Press(cb.submit, selfeval.submit, "selfeval_submitted", _edit,
          "提交审核: the draft, still the presser's own and editable, goes to review."),
)


FORMS = (Form("selfeval", section_step, resume="/selfeval"),)


def handlers() -> list:
    return [CommandHandler("selfeval", start_selfeval), *presses(PRESSES)]
