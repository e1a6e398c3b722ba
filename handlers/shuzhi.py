"""/shuzhi: the yearly 述职评议 — an officer opens the round, sees its branches, comments, grades and writes each
branch's 问题清单; a secretary writes the 述职 and each problem's 整改方案 and 整改材料 (drafted like everything
handed in: handlers/drafting.py). The quarterly check's button opens the problems still open."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import shuzhi as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.services import shuzhi, shuzhi_problems
from handlers import drafting
from handlers.telegram.common import guarded, reply, require_private
from handlers.telegram.presses import Press, edits, presses, replies


def _rows(shown: dict) -> list:
    return shown["buttons"]


_ROUND = edits("shuzhi/round.j2", _rows, lambda r: {"r": r})
_CARD = edits("shuzhi/report_card.j2", _rows, lambda c: {"c": c})


@guarded
async def shuzhi_command(update: Update, context: ZhibuContext) -> None:
    """/shuzhi: the officer's rounds (or 发起), the secretary's own branch's part."""
    require_private(update)
    home = await shuzhi.home(context.svc, update.effective_user.id)
    await reply(update, context, "shuzhi/home.j2", home.buttons, h=home)


async def comment_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The 点评, typed: kept, and the branch's card again."""
    text = update.message.text if update.message else None
    card = await shuzhi.comment_typed(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "shuzhi/report_card.j2", card["buttons"], c=card)


async def problems_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """Problems, one a line: kept, and the branch's card again."""
    text = update.message.text if update.message else None
    report_id = await shuzhi_problems.problems_typed(context.svc, update.effective_user.id, conversation.data, text)
    card = await shuzhi.report_card(context.svc, update.effective_user.id, report_id)
    await reply(update, context, "shuzhi/report_card.j2", card["buttons"], c=card)


async def _sent(svc, user_id: int, report_id: int) -> dict:
    """The list goes out, then the card as it is now."""
    await shuzhi_problems.send_problems(svc, user_id, report_id)
    return await shuzhi.report_card(svc, user_id, report_id)


PRESSES = (
    Press(cb.start, shuzhi.ask_graded, None, edits("shuzhi/ask_graded.j2", _rows, lambda a: {"a": a}),
          "发起: whether the unit grades this year's round."),
    Press(cb.graded, shuzhi.ask_deadline, None, edits("shuzhi/ask_deadline.j2", _rows, lambda a: {"a": a}),
          "评定等次 or not: the deadline for the reports."),
    Press(cb.go, shuzhi.open_cycle, "shuzhi_opened", _ROUND,
          "N 天: the round opens for every branch below; the secretaries are told."),
    Press(cb.cycle, shuzhi.round_view, None, _ROUND, "A round's branches, a page at a time."),
    Press(cb.report, shuzhi.report_card, None, _CARD, "A branch's part: its 述职, 点评, grade and problems."),
    Press(cb.grade, shuzhi.set_grade, "shuzhi_graded", _CARD, "好 / 较好 / 一般 / 差: the branch's grade."),
    Press(cb.comment, shuzhi.begin_comment, None, replies("shuzhi/ask_comment.j2", params=lambda a: {"a": a}),
          "✍️ 点评: ask for the comment."),
    Press(cb.problems, shuzhi_problems.begin_problems, None,
          replies("shuzhi/ask_problems.j2", params=lambda a: {"a": a}), "➕ 问题清单: ask for problems, one a line."),
    Press(cb.send, _sent, "shuzhi_sent", _CARD, "📤 发出问题清单: the secretaries get it and owe a plan for each."),
    Press(cb.write, shuzhi.start_report, None, drafting.show, "✍️ 写述职: the secretary's draft of the 述职."),
    Press(cb.plan, shuzhi_problems.start_plan, None, drafting.show, "✍️ 整改方案: a problem's plan, drafted."),
    Press(cb.evidence, shuzhi_problems.start_evidence, None, drafting.show,
          "📎 整改材料: what was done, handed in for 销号."),
    Press(cb.open_list, shuzhi_problems.open_list, None, edits("shuzhi/open_list.j2", _rows, lambda o: {"o": o}),
          "The problems still open under the unit (the quarterly check)."),
)

FORMS = (drafting.form(shuzhi.DRAFT, resume="/shuzhi"), drafting.form(shuzhi_problems.PLAN_DRAFT, resume="/shuzhi"),
         drafting.form(shuzhi_problems.EVIDENCE_DRAFT, resume="/shuzhi"), Form(shuzhi.COMMENT_FORM, comment_step),
         Form(shuzhi_problems.PROBLEMS_FORM, problems_step))


def handlers() -> list:
    return [CommandHandler("shuzhi", shuzhi_command), *presses(PRESSES)]

