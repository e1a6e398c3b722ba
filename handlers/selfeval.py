"""/selfeval: the self-evaluation form — section by section, self-grade, preview, edit, submit."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.evaluation import GRADES, SECTIONS
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import selfeval
from handlers.telegram.common import callback_parts, guarded, int_or_stale, toast
from handlers.evaluation import show
from handlers.forms import register_form


def _grade_rows(step: selfeval.Step) -> list[list[Button]]:
    sid, current = step.submission.id, step.grade
    labels = [Button(label=("✅ " if g is current else "") + g.label, data=f"se:g:{sid}:{g.value}") for g in GRADES]
    return [labels[:2], labels[2:]]


def _preview_rows(step: selfeval.Step) -> list[list[Button]]:
    sid = step.submission.id
    edits = [Button(label=f"✏️ {s.title}", data=f"se:e:{sid}:{s.key}") for s in SECTIONS]
    return [[Button(label="📤 提交审核", data=f"se:s:{sid}")], edits[:2], edits[2:4], edits[4:],
            [Button(label="✏️ 自评等次", data=f"se:k:{sid}")]]


def _message(step: selfeval.Step) -> tuple[str, list[list[Button]], dict]:
    """The template, buttons and values for where the form stands."""
    params = {"step": step, "sections": SECTIONS, "total": len(SECTIONS)}
    if step.what == "section":
        index = next(i for i, s in enumerate(SECTIONS, start=1) if s.key == step.section.key)
        return "evaluation/self_ask_section.j2", [], {**params, "index": index,
                                                       "current": step.sections.get(step.section.key)}
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
    """The member typed one section: saved at once, then the next question."""
    text = update.message.text if update.message else None
    step = await selfeval.save_section(context.svc, update.effective_user.id, conversation.step, conversation.data,
                                       text)
    await _show(update, context, step)


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """写自评 / self-grade / 修改 / 提交 — each re-checks that it is the presser's own, still editable draft."""
    if update.effective_chat.type != "private":
        raise UserError("common/stale.j2")
    parts = callback_parts(update, "se")
    svc, user_id, query = context.svc, update.effective_user.id, update.callback_query
    if len(parts) == 2 and parts[0] == "go":
        step = await selfeval.start(svc, user_id, int_or_stale(parts[1]))
        await query.answer()
        await _show(update, context, step)
        return
    if len(parts) < 2:
        raise UserError("common/stale.j2")
    action, sid = parts[0], int_or_stale(parts[1])
    if action == "g" and len(parts) == 3:
        step = await selfeval.set_grade(svc, user_id, sid, parts[2])
        await query.answer()
        await _show(update, context, step, as_edit=True)
    elif action == "k":
        step = await selfeval.choose_grade_again(svc, user_id, sid)
        await query.answer()
        await _show(update, context, step, as_edit=True)
    elif action == "e" and len(parts) == 3:
        step = await selfeval.edit_section(svc, user_id, sid, parts[2])
        await query.answer()
        await _show(update, context, step)
    elif action == "s":
        step = await selfeval.submit(svc, user_id, sid)
        await toast(update, "selfeval_submitted")
        await _show(update, context, step, as_edit=True)
    else:
        raise UserError("common/stale.j2")


register_form("selfeval", section_step, resume="/selfeval")


def handlers() -> list:
    return [CommandHandler("selfeval", start_selfeval), CallbackQueryHandler(on_button, pattern=r"^se:")]
