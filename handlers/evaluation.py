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
from handlers.telegram.common import drop_buttons, edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies

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
    if rest := len(found.rest):  # one tap for the rest (never the grader's own grade), the exceptions on their cards
        rows.insert(0, [button("evaluation/rest_qualified", cb.rest_qualified(cid), count=rest)])
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


def _card_params(card: results.MemberCard) -> dict:
    return {"card": card, "grades": GRADES, "shown_from": rules.PEER_SHOWN_FROM}


def _results_params(found: results.Results, page: int) -> dict:
    return {"found": found, "grades": GRADES, "deadline": rules.when(found.campaign.deadline, found.tz),
            "shown_from": rules.PEER_SHOWN_FROM,
            "shown": found.rows[page * RESULTS_PAGE : (page + 1) * RESULTS_PAGE], "offset": page * RESULTS_PAGE,
            "page": page, "pages": _pages(found)}


async def _results_page(svc, user_id: int, cid: int, page: int = 0) -> tuple:
    """The results at `page` (kept within the pages there are)."""
    found = await results.results_for(svc, user_id, cid)
    return found, max(0, min(page, _pages(found) - 1))


async def _results(update: Update, context: ZhibuContext, shown: tuple) -> None:
    found, page = shown
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


def _and_panel(use):
    """The use case, then the panel as it is now."""
    async def run(svc, user_id: int, *fields):
        return await use(svc, user_id, *fields), await evaluation.panel(svc, user_id)
    return run


async def _panel_of(svc, user_id: int, cid: int) -> evaluation.Panel:
    view = await evaluation.panel(svc, user_id)
    if view.campaign is None or view.campaign.id != cid:  # a button of another (or another branch's) campaign
        raise UserError("common/stale.j2")
    return view


_PANEL = edits("evaluation/panel.j2", lambda done: _panel_rows(done[1]), lambda done: _panel_params(done[1]))
_CARD = edits("evaluation/member_card.j2", _card_rows, _card_params)


async def _final_grade(svc, user_id: int, cid: int, member_id: int, grade_value: str) -> tuple:
    grade = await results.set_final_grade(svc, user_id, cid, member_id, grade_value)
    return grade, await results.member_card(svc, user_id, cid, member_id)


async def _graded(update: Update, context: ZhibuContext, done: tuple) -> None:
    """The card shows the grade; 不合格 asks for the reason at once."""
    grade, card = done
    await _CARD(update, context, card)
    if grade is rules.Grade.UNQUALIFIED:
        await reply(update, context, "evaluation/ask_remark.j2", name=card.row.member.name, required=True,
                    max=results.REMARK_MAX)


async def _rest_qualified(svc, user_id: int, cid: int) -> tuple:
    """Everyone not graded yet is 合格; then the results, from the first page."""
    graded = await results.rest_qualified(svc, user_id, cid)
    return graded, *await _results_page(svc, user_id, cid)


async def _close(svc, user_id: int, cid: int) -> tuple:
    found = await results.close(svc, user_id, cid)
    return found, await filing.recipients(svc, found.branch.id)


PRESSES = (
    Press(cb.open_campaign, _and_panel(evaluation.open_campaign),
          lambda done: ("evaluation_opened", {"year": done[0].year}), _PANEL,
          "开启: the year's campaign opens with the chosen deadline."),
    Press(cb.panel, _panel_of, None, edits("evaluation/panel.j2", _panel_rows, _panel_params),
          "« 返回 / 取消: back to the panel."),
    Press(cb.extend, _and_panel(evaluation.extend),
          lambda done: ("evaluation_extended", {"deadline": rules.when(done[1].campaign.deadline, done[1].tz)}),
          _PANEL, "延期: the deadline moves; the panel shows the new one."),
    Press(cb.cycle_limit, _and_panel(results.cycle_excellent_limit),
          lambda done: ("evaluation_limit", {"limit": done[0]}), _PANEL, "优秀比例上限: the next of the allowed limits."),
    Press(cb.results, _results_page, None, _results,
          "评议结果: every member's grades so far, a button each to set the final one."),
    Press(cb.results_page, _results_page, None, _results,
          "上一页 / 下一页 of the results (and « 返回名单 from a member's card): that page, in place."),
    Press(cb.rest_qualified, _rest_qualified, lambda done: ("evaluation_rest", {"count": len(done[0])}),
          lambda update, context, done: _results(update, context, done[1:]),
          "✅ 其余全部合格: everyone not graded yet is 合格 (each audited); the results show again in place."),
    Press(cb.member, results.member_card, None, _CARD,
          "A name on the results: that member's card with the final-grade buttons."),
    Press(cb.final_grade, _final_grade,
          lambda done: ("evaluation_final", {"person": done[1].row.member.name, "grade": done[0].label}), _graded,
          "A final grade; 不合格 asks for the reason at once."),
    Press(cb.remark, results.begin_remark, None,
          replies("evaluation/ask_remark.j2",
                  params=lambda member: {"name": member.name, "required": False, "max": results.REMARK_MAX}),
          "备注/理由: ask for the remark."),
    Press(cb.close, results.close_check, None,
          replies("evaluation/close_confirm.j2",
                  lambda found: [[button("evaluation/close_confirm", cb.close_confirmed(found.campaign.id)),
                                  button("evaluation/cancel", cb.panel(found.campaign.id))]],
                  lambda found: {"found": found}),
          "结束评议: what closing means (and what is missing), to be confirmed."),
    Press(cb.close_confirmed, _close, "evaluation_closed",
          edits("evaluation/closed_ok.j2", params=lambda done: {"found": done[0], "filed": done[1]}),
          "确认结束: closed, and the register filed with the upper committee."),
    Press(cb.ask_others, results.ask_others, None,
          replies("evaluation/asked_others.j2",
                  params=lambda route: {"names": [r.name for r in route.reviewers], "unit": route.unit}),
          "请他人评定 on the grader's own card: the grade card goes to the rest of the committee (or the unit above)."),
)


async def remark_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed a remark (the reason, for 不合格)."""
    text = update.message.text if update.message else None
    member = await results.save_remark(context.svc, update.effective_user.id, conversation.data, text)
    card = await results.member_card(context.svc, update.effective_user.id, int(conversation.data["campaign_id"]),
                                        member.id)
    await reply(update, context, "evaluation/member_card.j2", _card_rows(card), **_card_params(card))


FORMS = (Form("eval_remark", remark_step),)


def handlers() -> list:
    return [CommandHandler("evaluation", start_evaluation), *presses(PRESSES)]
