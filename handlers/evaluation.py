"""/evaluation: the secretary opens, extends and closes the campaign and sets final grades; members see their own."""

from __future__ import annotations

import logging
from io import BytesIO

from telegram import InputFile, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain import evaluation as rules
from bot.domain.evaluation import GRADES
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.exports.evaluation import register_xlsx
from bot.outgoing import Button
from bot.render import render
from bot.services import evaluation, membership
from bot.services import evaluation_results as results
from bot.textsplit import TELEGRAM_LIMIT
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.forms import register_form

log = logging.getLogger(__name__)


async def show(update: Update, context: ZhibuContext, template: str, rows: list[list[Button]] | None, as_edit: bool,
               **params) -> None:
    """Edit the pressed message in place — unless the text outgrew one message (a long self-evaluation, a big
    branch's results): Telegram refuses such an edit, so the old buttons go and the text comes as a new reply."""
    if as_edit and len(render(template, **params)) <= TELEGRAM_LIMIT:
        await edit(update, template, rows, **params)
        return
    if as_edit:
        await update.callback_query.edit_message_reply_markup(None)
    await reply(update, context, template, rows, **params)


def _panel_rows(view: evaluation.Panel) -> list[list[Button]]:
    campaign = view.campaign
    if campaign is None:
        return [[Button(label=f"开启（{days}天后截止）", data=f"ev:o:{days}") for days in evaluation.DEADLINE_CHOICES]]
    if not campaign.is_open:
        return []
    cid = campaign.id
    limit = view.branch.settings.evaluation_excellent_max_pct
    return [[Button(label="📊 评议结果 / 评定等次", data=f"ev:r:{cid}")],
            [Button(label=f"⏰ 延期{days}天", data=f"ev:x:{cid}:{days}") for days in evaluation.EXTEND_CHOICES],
            [Button(label=f"⚙️ 优秀比例上限 {limit}%", data=f"ev:s:{cid}")],
            [Button(label="🔒 结束评议", data=f"ev:c:{cid}")]]


def _panel_params(view: evaluation.Panel) -> dict:
    deadline = rules.when(view.campaign.deadline, view.tz) if view.campaign else None
    return {"view": view, "deadline": deadline}


def _results_rows(found: results.Results) -> list[list[Button]]:
    cid = found.campaign.id
    names = [Button(label=f"{r.member.name} · {r.final_grade.label if r.final_grade else '待定'}",
                    data=f"ev:m:{cid}:{r.member.id}") for r in found.rows]
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    return rows + [[Button(label="« 返回", data=f"ev:p:{cid}")]]


def _card_rows(card: results.MemberCard) -> list[list[Button]]:
    cid, mid, current = card.results.campaign.id, card.row.member.id, card.row.final_grade
    grades = [Button(label=("✅ " if g is current else "") + g.label, data=f"ev:f:{cid}:{mid}:{g.value}")
              for g in GRADES]
    return [grades[:2], grades[2:], [Button(label="📝 备注/理由", data=f"ev:k:{cid}:{mid}")],
            [Button(label="« 返回名单", data=f"ev:r:{cid}")]]


def _results_params(found: results.Results) -> dict:
    return {"found": found, "grades": GRADES, "deadline": rules.when(found.campaign.deadline, found.tz)}


@guarded
async def start_evaluation(update: Update, context: ZhibuContext) -> None:
    """/evaluation: the secretary's panel, or a member's own status and (after close) own grade."""
    svc, user_id = context.svc, update.effective_user.id
    member = await membership.active_member(svc, user_id)
    if member.is_approver:
        view = await evaluation.panel(svc, user_id)
        await reply(update, context, "evaluation/panel.j2", _panel_rows(view), **_panel_params(view))
        return
    status = await evaluation.own_status(svc, user_id)
    rows = evaluation.member_buttons(status.campaign.id) if status.campaign and status.accepting else []
    deadline = rules.when(status.campaign.deadline, status.tz) if status.campaign else None
    await reply(update, context, "evaluation/own_status.j2", rows, status=status, deadline=deadline)


async def _refresh_panel(update: Update, context: ZhibuContext) -> None:
    view = await evaluation.panel(context.svc, update.effective_user.id)
    await edit(update, "evaluation/panel.j2", _panel_rows(view), **_panel_params(view))


async def _send_register_to_admins(context: ZhibuContext, found: results.Results) -> int:
    """备案: the upper committee's admins get the register; one unreachable admin must not stop the others."""
    data = register_xlsx(found)
    caption = render("evaluation/filed_caption.j2", branch=found.branch.name, year=found.campaign.year)
    sent = 0
    for admin_id in sorted(context.svc.settings.admins):
        try:
            await context.bot.send_document(admin_id, InputFile(BytesIO(data),
                                            filename=f"民主评议结果登记表-{found.campaign.year}.xlsx"),
                                            caption=caption)
            sent += 1
        except TelegramError:
            log.warning("could not send the evaluation register to admin %s", admin_id, exc_info=True)
    return sent


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """Open / extend / results / final grade / remark / close — each re-authorised as the branch's approver."""
    if update.effective_chat.type != "private":
        raise UserError("common/stale.j2")
    parts = callback_parts(update, "ev")
    if len(parts) < 2:
        raise UserError("common/stale.j2")
    svc, user_id, query = context.svc, update.effective_user.id, update.callback_query
    action = parts[0]
    if action == "o":
        campaign = await evaluation.open_campaign(svc, user_id, int_or_stale(parts[1]))
        await toast(update, "evaluation_opened", year=campaign.year)
        await _refresh_panel(update, context)
        return
    cid = int_or_stale(parts[1])
    if action == "p":
        await query.answer()
        await _refresh_panel(update, context)
    elif action == "x" and len(parts) == 3:
        await evaluation.extend(svc, user_id, cid, int_or_stale(parts[2]))
        view = await evaluation.panel(svc, user_id)
        await toast(update, "evaluation_extended", deadline=rules.when(view.campaign.deadline, view.tz))
        await edit(update, "evaluation/panel.j2", _panel_rows(view), **_panel_params(view))
    elif action == "s":
        limit = await results.cycle_excellent_limit(svc, user_id)
        await toast(update, "evaluation_limit", limit=limit)
        await _refresh_panel(update, context)
    elif action == "r":
        found = await results.results_for(svc, user_id, cid)
        await query.answer()
        await show(update, context, "evaluation/results.j2", _results_rows(found), True, **_results_params(found))
    elif action == "m" and len(parts) == 3:
        card = await results.member_card(svc, user_id, cid, int_or_stale(parts[2]))
        await query.answer()
        await edit(update, "evaluation/member_card.j2", _card_rows(card), card=card, grades=GRADES)
    elif action == "f" and len(parts) == 4:
        member_id = int_or_stale(parts[2])
        grade = await results.set_final_grade(svc, user_id, cid, member_id, parts[3])
        card = await results.member_card(svc, user_id, cid, member_id)
        await toast(update, "evaluation_final", person=card.row.member.name, grade=grade.label)
        await edit(update, "evaluation/member_card.j2", _card_rows(card), card=card, grades=GRADES)
        if grade is rules.Grade.UNQUALIFIED:
            await reply(update, context, "evaluation/ask_remark.j2", name=card.row.member.name, required=True,
                        max=results.REMARK_MAX)
    elif action == "k" and len(parts) == 3:
        member = await results.begin_remark(svc, user_id, cid, int_or_stale(parts[2]))
        await query.answer()
        await reply(update, context, "evaluation/ask_remark.j2", name=member.name, required=False,
                    max=results.REMARK_MAX)
    elif action == "c":
        found = await results.close_check(svc, user_id, cid)
        await query.answer()
        await reply(update, context, "evaluation/close_confirm.j2",
                    [[Button(label="✅ 确认结束", data=f"ev:C:{cid}"), Button(label="取消", data=f"ev:p:{cid}")]],
                    found=found)
    elif action == "C":
        found = await results.close(svc, user_id, cid)
        await toast(update, "evaluation_closed")
        filed = await _send_register_to_admins(context, found)
        await edit(update, "evaluation/closed_ok.j2", found=found, filed=filed)
    else:
        raise UserError("common/stale.j2")


async def remark_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed a remark (the reason, for 不合格)."""
    text = update.message.text if update.message else None
    member = await results.save_remark(context.svc, update.effective_user.id, conversation.data, text)
    card = await results.member_card(context.svc, update.effective_user.id, int(conversation.data["campaign_id"]),
                                        member.id)
    await reply(update, context, "evaluation/member_card.j2", _card_rows(card), card=card, grades=GRADES)


register_form("eval_remark", remark_step)


def handlers() -> list:
    return [CommandHandler("evaluation", start_evaluation), CallbackQueryHandler(on_button, pattern=r"^ev:")]
