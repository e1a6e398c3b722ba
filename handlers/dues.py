"""党费 in chat: 已交党费 on the theme-day reminder (报其他金额 when the member paid another amount than their
standard), the collector's 确认收到 / 代缴, /dues, and the standard per member (from the member's card in /members or
设定党费标准 on /dues)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import dues as cb
from bot.context import ZhibuContext
from bot.domain.dues import DuesStatus, period_code, yuan
from bot.domain.models import Conversation, Member
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import dues
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast


def _month_rows(listing: dues.MonthList) -> list[list[Button]]:
    code = period_code(listing.period)
    open_rows = [m for m, p in listing.rows if p is None or p.status is not DuesStatus.CONFIRMED][:30]
    return [[button("dues/confirm", cb.confirm_listed(m.id, code), name=m.name),
             button("dues/proxy", cb.proxy(m.id, code), name=m.name)] for m in open_rows] + [
        [button("dues/standards", cb.standards())]]


STANDARDS_PAGE = 40  # names a page, two a row: well under Telegram's 100 buttons, and readable on a phone


def _standard_rows(people: list[Member], page: int) -> list[list[Button]]:
    shown = [button("dues/standard_of", cb.amount(m.id), name=m.name, yuan=yuan(m.dues_fen))
             for m in people[page * STANDARDS_PAGE : (page + 1) * STANDARDS_PAGE]]
    nav = []
    if page > 0:
        nav.append(button("members/previous_page", cb.standards_page(page - 1)))
    if (page + 1) * STANDARDS_PAGE < len(people):
        nav.append(button("members/next_page", cb.standards_page(page + 1)))
    return [shown[i : i + 2] for i in range(0, len(shown), 2)] + ([nav] if nav else [])


def _standards_params(people: list[Member], page: int) -> dict:
    return {"unset": sum(1 for m in people if m.dues_fen is None), "page": page,
            "pages": (len(people) - 1) // STANDARDS_PAGE + 1}


@guarded
async def dues_command(update: Update, context: ZhibuContext) -> None:
    """/dues [month]: the branch's 党费 for the month, with 确认 / 代缴 for those not yet received."""
    listing = await dues.month_list(context.svc, update.effective_user.id,
                                    " ".join(context.args) if context.args else None)
    await reply(update, context, "dues/month.j2", _month_rows(listing), label=listing.label, entries=listing.rows,
                differing=listing.differing)


@guarded
async def paid_pressed(update: Update, context: ZhibuContext) -> None:
    """已交党费 on the theme-day reminder: recorded, the 组织委员 asked to confirm."""
    (meeting_id,) = pressed(update, cb.paid)
    month, before, _, member = await dues.report_paid(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    amount = before.amount_fen if before else member.dues_fen
    rows = [] if before and before.status is DuesStatus.CONFIRMED else [[button("dues/own_amount",
                                                                               cb.own_amount(meeting_id))]]
    await reply(update, context, "dues/reported.j2", rows, month=month, before=before, yuan=yuan(amount))


@guarded
async def own_amount_pressed(update: Update, context: ZhibuContext) -> None:
    """报其他金额 after 已交党费: ask the member what they paid."""
    (meeting_id,) = pressed(update, cb.own_amount)
    month, member = await dues.begin_own_amount(context.svc, update.effective_user.id, meeting_id)
    await update.callback_query.answer()
    await reply(update, context, "dues/ask_own_amount.j2", month=month, yuan=yuan(member.dues_fen))


async def own_amount_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member typed what they paid for the month."""
    month, fen = await dues.report_amount(context.svc, update.effective_user.id, conversation.data["meeting_id"],
                                          update.message.text if update.message else None)
    await reply(update, context, "dues/own_amount_set.j2", month=month, yuan=yuan(fen))


def _undo_rows(done: dues.Confirmed) -> list[list[Button]]:
    return [[button("dues/undo", cb.undo(done.member.id, done.code))]]


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """✅ 确认收到 <amount> on a report card: recorded; this card shows it with ↩️ 撤销, the other collectors' cards
    show it without buttons."""
    member_id, code = pressed(update, cb.confirm)
    shown = update.effective_chat.id, update.callback_query.message.message_id
    done = await dues.confirm(context.svc, update.effective_user.id, member_id, code, card_shown=shown)
    await toast(update, "dues_confirmed", changed=done.changed, yuan=yuan(done.payment.amount_fen))
    await edit(update, "dues/confirmed_card.j2", _undo_rows(done), name=done.member.name, month=done.month,
               yuan=yuan(done.payment.amount_fen), by=None, paid_by=done.payment.paid_by)


@guarded
async def confirm_listed_pressed(update: Update, context: ZhibuContext) -> None:
    """📥 记为已收 beside a name on /dues: recorded (with ↩️ 撤销 in the answer), the list shown again in place."""
    member_id, code = pressed(update, cb.confirm_listed)
    done = await dues.confirm(context.svc, update.effective_user.id, member_id, code)
    await toast(update, "dues_confirmed", changed=done.changed, yuan=yuan(done.payment.amount_fen))
    listing = await dues.month_list(context.svc, update.effective_user.id, done.payment.period)
    await edit(update, "dues/month.j2", _month_rows(listing), label=listing.label, entries=listing.rows,
               differing=listing.differing)
    await reply(update, context, "dues/recorded.j2", _undo_rows(done), name=done.member.name, month=done.month,
                changed=done.changed, paid_by=None, yuan=yuan(done.payment.amount_fen))


@guarded
async def undo_pressed(update: Update, context: ZhibuContext) -> None:
    """↩️ 撤销确认: the month is not received after all (audited); this message shows what waits now."""
    member_id, code = pressed(update, cb.undo)
    target, month, undone = await dues.undo(context.svc, update.effective_user.id, member_id, code)
    await toast(update, "dues_undone", done=undone is not None)
    now = await dues.card_now(context.svc, update.effective_user.id, member_id, code)
    if now is not None:
        await edit(update, now.template, now.buttons, **now.params)
    else:
        await edit(update, "dues/undone_card.j2", name=target.name, month=month)


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
    done = await dues.confirm(context.svc, update.effective_user.id, data["member_id"], data["code"], paid_by=payer)
    await reply(update, context, "dues/recorded.j2", _undo_rows(done), name=done.member.name, month=done.month,
                changed=done.changed, paid_by=payer, yuan=yuan(done.payment.amount_fen))


@guarded
async def standards_pressed(update: Update, context: ZhibuContext) -> None:
    """设定党费标准 on /dues: the members with their standard, a tap on one asks for the amount."""
    pressed(update, cb.standards)
    people = await dues.standards(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await reply(update, context, "dues/standards.j2", _standard_rows(people, 0), **_standards_params(people, 0))


@guarded
async def standards_page_pressed(update: Update, context: ZhibuContext) -> None:
    """上一页 / 下一页 under 设定党费标准 (re-authorised: the list is read again for the presser)."""
    (page,) = pressed(update, cb.standards_page)
    people = await dues.standards(context.svc, update.effective_user.id)
    page = max(0, min(page, (len(people) - 1) // STANDARDS_PAGE))
    await update.callback_query.answer()
    await edit(update, "dues/standards.j2", _standard_rows(people, page), **_standards_params(people, page))


@guarded
async def amount_pressed(update: Update, context: ZhibuContext) -> None:
    """党费标准 on a member's card or a name under 设定党费标准: ask for the monthly amount."""
    (member_id,) = pressed(update, cb.amount)
    target = await dues.begin_amount(context.svc, update.effective_user.id, member_id)
    await update.callback_query.answer()
    await reply(update, context, "dues/ask_amount.j2", name=target.name)


async def amount_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The collector typed the member's monthly dues standard."""
    target = await dues.set_amount(context.svc, update.effective_user.id, conversation.data["member_id"],
                                   update.message.text if update.message else None)
    await reply(update, context, "dues/amount_set.j2", name=target.name, yuan=yuan(target.dues_fen))


FORMS = (Form("dues_proxy", payer_step), Form("dues_amount", amount_step),
         Form("dues_own_amount", own_amount_step))


def handlers() -> list:
    return [CommandHandler("dues", dues_command), on_press(cb.paid, paid_pressed),
            on_press(cb.confirm, confirm_pressed), on_press(cb.confirm_listed, confirm_listed_pressed),
            on_press(cb.undo, undo_pressed), on_press(cb.proxy, proxy_pressed),
            on_press(cb.amount, amount_pressed), on_press(cb.standards, standards_pressed),
            on_press(cb.standards_page, standards_page_pressed),
            on_press(cb.own_amount, own_amount_pressed)]
