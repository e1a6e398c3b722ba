"""/evaluation: the secretary opens, extends and closes the campaign and sets final grades; members see their own."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import evaluation as cb
from bot.context import ZhibuContext
from bot.domain import evaluation as rules
from bot.domain.evaluation import GRADES
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.render import render
from bot.services import evaluation, filing, membership
from bot.services import evaluation_results as results
from bot.textsplit import TELEGRAM_LIMIT
from handlers.telegram.common import (
    drop_buttons,
    edit,
    guarded,
    on_press,
    pressed,
    reply,
    require_private,
    toast,
)

log = logging.getLogger(__name__)


async def show(update: Update, context: ZhibuContext, template: str, rows: list[list[Button]] | None, as_edit: bool,
               **params) -> None:
    """Edit the pressed message in place — unless the text outgrew one message (a long self-evaluation, a big
    branch's results): Telegram refuses such an edit, so the old buttons go and the text comes as a new reply."""
    if as_edit and len(render(template, **params)) <= TELEGRAM_LIMIT:
        await edit(update, template, rows, **params)
        return
    if as_edit:
        await drop_buttons(update)
    await reply(update, context, template, rows, **params)


def _panel_rows(view: evaluation.Panel) -> list[list[Button]]:
    campaign = view.campaign
    if campaign is None:
        return [[button("evaluation/open", cb.open_campaign(days), days=days) for days in evaluation.DEADLINE_CHOICES]]
    if not campaign.is_open:
        return []
    cid = campaign.id
    limit = view.branch.settings.evaluation_excellent_max_pct
    return [[button("evaluation/results", cb.results(cid))],
            [button("evaluation/extend", cb.extend(cid, days), days=days) for days in evaluation.EXTEND_CHOICES],
            [button("evaluation/limit", cb.cycle_limit(cid), limit=limit)],
            [button("evaluation/close", cb.close(cid))]]


def _panel_params(view: evaluation.Panel) -> dict:
    deadline = rules.when(view.campaign.deadline, view.tz) if view.campaign else None
    return {"view": view, "deadline": deadline}


RESULTS_PAGE = 40  # members a page (text and buttons): Telegram takes at most 100 buttons and 4,096 characters


def _pages(found: results.Results) -> int:
    return max(1, -(-len(found.rows) // RESULTS_PAGE))


def _page_of(found: results.Results, member_id: int) -> int:
    ids = [r.member.id for r in found.rows]
    return ids.index(member_id) // RESULTS_PAGE if member_id in ids else 0


def _results_rows(found: results.Results, page: int) -> list[list[Button]]:
    cid = found.campaign.id
    names = [button("evaluation/member_grade", cb.member(cid, r.member.id), name=r.member.name,
                    grade=r.final_grade.label if r.final_grade else None)
             for r in found.rows[page * RESULTS_PAGE : (page + 1) * RESULTS_PAGE]]
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    nav = [button("evaluation/previous_page", cb.results_page(cid, page - 1))] if page > 0 else []
    if page + 1 < _pages(found):
        nav.append(button("evaluation/next_page", cb.results_page(cid, page + 1)))
    return rows + ([nav] if nav else []) + [[button("evaluation/back", cb.panel(cid))]]


def _card_rows(card: results.MemberCard) -> list[list[Button]]:
    """The grade buttons for whoever grades the member; on the grader's own card, 请他人评定 instead."""
    cid, mid = card.results.campaign.id, card.row.member.id
    rows = (results.grade_buttons(cid, mid, card.row.final_grade) if card.may_grade
            else [[button("evaluation/ask_others", cb.ask_others(cid))]])
    back = button("evaluation/back_to_list", cb.results_page(cid, _page_of(card.results, mid)))
    return rows + ([[back]] if card.panel else [])


def _results_params(found: results.Results, page: int) -> dict:
    return {"found": found, "grades": GRADES, "deadline": rules.when(found.campaign.deadline, found.tz),
            "shown": found.rows[page * RESULTS_PAGE : (page + 1) * RESULTS_PAGE], "offset": page * RESULTS_PAGE,
            "page": page, "pages": _pages(found)}


async def _show_results(update: Update, context: ZhibuContext, cid: int, page: int) -> None:
    found = await results.results_for(context.svc, update.effective_user.id, cid)
    page = max(0, min(page, _pages(found) - 1))
    await update.callback_query.answer()
    await show(update, context, "evaluation/results.j2", _results_rows(found, page), True,
               **_results_params(found, page))


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


@guarded
async def open_pressed(update: Update, context: ZhibuContext) -> None:
    """开启: the year's campaign opens with the chosen deadline."""
    require_private(update)
    (days,) = pressed(update, cb.open_campaign)
    campaign = await evaluation.open_campaign(context.svc, update.effective_user.id, days)
    await toast(update, "evaluation_opened", year=campaign.year)
    await _refresh_panel(update, context)


@guarded
async def panel_pressed(update: Update, context: ZhibuContext) -> None:
    """« 返回 / 取消: back to the panel."""
    require_private(update)
    (cid,) = pressed(update, cb.panel)
    view = await evaluation.panel(context.svc, update.effective_user.id)
    if view.campaign is None or view.campaign.id != cid:  # a button of another (or another branch's) campaign
        raise UserError("common/stale.j2")
    await update.callback_query.answer()
    await edit(update, "evaluation/panel.j2", _panel_rows(view), **_panel_params(view))


@guarded
async def extend_pressed(update: Update, context: ZhibuContext) -> None:
    """延期: the deadline moves; the panel shows the new one."""
    require_private(update)
    cid, days = pressed(update, cb.extend)
    svc, user_id = context.svc, update.effective_user.id
    await evaluation.extend(svc, user_id, cid, days)
    view = await evaluation.panel(svc, user_id)
    await toast(update, "evaluation_extended", deadline=rules.when(view.campaign.deadline, view.tz))
    await edit(update, "evaluation/panel.j2", _panel_rows(view), **_panel_params(view))


@guarded
async def cycle_limit_pressed(update: Update, context: ZhibuContext) -> None:
    """优秀比例上限: the next of the allowed limits."""
    require_private(update)
    (cid,) = pressed(update, cb.cycle_limit)
    limit = await results.cycle_excellent_limit(context.svc, update.effective_user.id, cid)
    await toast(update, "evaluation_limit", limit=limit)
    await _refresh_panel(update, context)


@guarded
async def results_pressed(update: Update, context: ZhibuContext) -> None:
    """评议结果: every member's grades so far, a button each to set the final one."""
    require_private(update)
    (cid,) = pressed(update, cb.results)
    await _show_results(update, context, cid, 0)


@guarded
async def results_page_pressed(update: Update, context: ZhibuContext) -> None:
    """上一页 / 下一页 of the results (and « 返回名单 from a member's card): that page, in place."""
    require_private(update)
    cid, page = pressed(update, cb.results_page)
    await _show_results(update, context, cid, page)


@guarded
async def member_pressed(update: Update, context: ZhibuContext) -> None:
    """A name on the results: that member's card with the final-grade buttons."""
    require_private(update)
    cid, member_id = pressed(update, cb.member)
    card = await results.member_card(context.svc, update.effective_user.id, cid, member_id)
    await update.callback_query.answer()
    await edit(update, "evaluation/member_card.j2", _card_rows(card), card=card, grades=GRADES)


@guarded
async def final_grade_pressed(update: Update, context: ZhibuContext) -> None:
    """A final grade; 不合格 asks for the reason at once."""
    require_private(update)
    cid, member_id, grade_value = pressed(update, cb.final_grade)
    svc, user_id = context.svc, update.effective_user.id
    grade = await results.set_final_grade(svc, user_id, cid, member_id, grade_value)
    card = await results.member_card(svc, user_id, cid, member_id)
    await toast(update, "evaluation_final", person=card.row.member.name, grade=grade.label)
    await edit(update, "evaluation/member_card.j2", _card_rows(card), card=card, grades=GRADES)
    if grade is rules.Grade.UNQUALIFIED:
        await reply(update, context, "evaluation/ask_remark.j2", name=card.row.member.name, required=True,
                    max=results.REMARK_MAX)


@guarded
async def remark_pressed(update: Update, context: ZhibuContext) -> None:
    """备注/理由: ask for the remark."""
    require_private(update)
    cid, member_id = pressed(update, cb.remark)
    member = await results.begin_remark(context.svc, update.effective_user.id, cid, member_id)
    await update.callback_query.answer()
    await reply(update, context, "evaluation/ask_remark.j2", name=member.name, required=False,
                max=results.REMARK_MAX)


@guarded
async def close_pressed(update: Update, context: ZhibuContext) -> None:
    """结束评议: what closing means (and what is missing), to be confirmed."""
    require_private(update)
    (cid,) = pressed(update, cb.close)
    found = await results.close_check(context.svc, update.effective_user.id, cid)
    await update.callback_query.answer()
    confirm = [[button("evaluation/close_confirm", cb.close_confirmed(cid)), button("evaluation/cancel", cb.panel(cid))]]
    await reply(update, context, "evaluation/close_confirm.j2", confirm, found=found)


@guarded
async def close_confirmed_pressed(update: Update, context: ZhibuContext) -> None:
    """确认结束: closed, and the register filed with the upper committee."""
    require_private(update)
    (cid,) = pressed(update, cb.close_confirmed)
    found = await results.close(context.svc, update.effective_user.id, cid)
    await toast(update, "evaluation_closed")
    filed = await filing.recipients(context.svc, found.branch.id)
    await edit(update, "evaluation/closed_ok.j2", found=found, filed=filed)


async def remark_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed a remark (the reason, for 不合格)."""
    text = update.message.text if update.message else None
    member = await results.save_remark(context.svc, update.effective_user.id, conversation.data, text)
    card = await results.member_card(context.svc, update.effective_user.id, int(conversation.data["campaign_id"]),
                                        member.id)
    await reply(update, context, "evaluation/member_card.j2", _card_rows(card), card=card, grades=GRADES)


@guarded
async def ask_others_pressed(update: Update, context: ZhibuContext) -> None:
    """请他人评定 on the grader's own card: the grade card goes to the rest of the committee (or the unit above)."""
    require_private(update)
    (cid,) = pressed(update, cb.ask_others)
    route = await results.ask_others(context.svc, update.effective_user.id, cid)
    await update.callback_query.answer()
    await reply(update, context, "evaluation/asked_others.j2", names=[r.name for r in route.reviewers],
                unit=route.unit)


FORMS = (Form("eval_remark", remark_step),)


def handlers() -> list:
    return [CommandHandler("evaluation", start_evaluation), on_press(cb.open_campaign, open_pressed),
            on_press(cb.panel, panel_pressed), on_press(cb.extend, extend_pressed),
            on_press(cb.cycle_limit, cycle_limit_pressed), on_press(cb.results, results_pressed),
            on_press(cb.results_page, results_page_pressed),
            on_press(cb.member, member_pressed), on_press(cb.final_grade, final_grade_pressed),
            on_press(cb.remark, remark_pressed), on_press(cb.close, close_pressed),
            on_press(cb.close_confirmed, close_confirmed_pressed), on_press(cb.ask_others, ask_others_pressed)]
