"""党费 in chat: 已交党费 on the theme-day reminder, the collector's 确认收到 / 代缴, /dues, and the amount per member
(from the member's card in /members)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import dues as cb
from bot.context import ZhibuContext
from bot.domain.dues import DuesStatus, period_code, yuan
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import dues
from handlers.telegram.common import guarded, on_press, pressed, reply


def _month_rows(listing: dues.MonthList) -> list[list[Button]]:
    code = period_code(listing.period)
    open_rows = [m for m, p in listing.rows if p is None or p.status is not DuesStatus.CONFIRMED][:30]
    return [[button("dues/confirm", cb.confirm(m.id, code), name=m.name),
             button("dues/proxy", cb.proxy(m.id, code), name=m.name)] for m in open_rows]


@guarded
async def dues_command(update: Update, context: ZhibuContext) -> None:
    """/dues [month]: the branch's 党费 for the month, with 确认 / 代缴 for those not yet received."""
    listing = await dues.month_list(context.svc, update.effective_user.id,
                                    " ".join(context.args) if context.args else None)
    await reply(update, context, "dues/month.j2", _month_rows(listing), label=listing.label, entries=listing.rows)


@guarded
async def paid_pressed(update: Update, context: ZhibuContext) -> None:
    """已交党费 on the theme-day reminder: recorded, the 组织委员 asked to confirm."""
    (meeting_id,) = pressed(update, cb.paid)
    month, before, _ = await dues.report_paid(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await reply(update, context, "dues/reported.j2", month=month, before=before)


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """确认收到 (on a report card, or a name on /dues): the month's dues recorded as received."""
    member_id, code = pressed(update, cb.confirm)
    target, month, changed = await dues.confirm(context.svc, update.effective_user.id, member_id, code)
    await update.callback_query.answer()
    await reply(update, context, "dues/recorded.j2", name=target.name, month=month, changed=changed, paid_by=None)


@guarded
async def proxy_pressed(update: Update, context: ZhibuContext) -> None:
    """代缴 on /dues: ask who paid for the member."""
    member_id, code = pressed(update, cb.proxy)
    target, month = await dues.begin_proxy(context.svc, update.effective_user.id, member_id, code)
    await update.callback_query.answer()
    await reply(update, context, "dues/ask_payer.j2", name=target.name, month=month)


async def payer_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The collector typed who paid for the member (代缴)."""
    payer = dues.clean_payer(update.message.text if update.message else None)
    data = conversation.data
    target, month, changed = await dues.confirm(context.svc, update.effective_user.id, data["member_id"],
                                                data["code"], paid_by=payer)
    await reply(update, context, "dues/recorded.j2", name=target.name, month=month, changed=changed, paid_by=payer)


@guarded
async def amount_pressed(update: Update, context: ZhibuContext) -> None:
    """党费标准 on a member's card: ask for the monthly amount."""
    (member_id,) = pressed(update, cb.amount)
    target = await dues.begin_amount(context.svc, update.effective_user.id, member_id)
    await update.callback_query.answer()
    await reply(update, context, "dues/ask_amount.j2", name=target.name)


async def amount_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed the member's monthly dues."""
    target = await dues.set_amount(context.svc, update.effective_user.id, conversation.data["member_id"],
                                   update.message.text if update.message else None)
    await reply(update, context, "dues/amount_set.j2", name=target.name, yuan=yuan(target.dues_fen))


FORMS = (Form("dues_proxy", payer_step), Form("dues_amount", amount_step))


def handlers() -> list:
    return [CommandHandler("dues", dues_command), on_press(cb.paid, paid_pressed),
            on_press(cb.confirm, confirm_pressed), on_press(cb.proxy, proxy_pressed),
            on_press(cb.amount, amount_pressed)]
