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
from bot.outgoing import Button, Outgoing, button
from bot.services import dues
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


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
        nav.append(button("membership/previous_page", cb.standards_page(page - 1)))
    if (page + 1) * STANDARDS_PAGE < len(people):
        nav.append(button("membership/next_page", cb.standards_page(page + 1)))
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


async def own_amount_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The member typed what they paid for the month."""
    month, fen = await dues.report_amount(context.svc, update.effective_user.id, conversation.data["meeting_id"],
                                          update.message.text if update.message else None)
    await reply(update, context, "dues/own_amount_set.j2", month=month, yuan=yuan(fen))


async def payer_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The collector typed who paid for the member (代缴)."""
    payer = dues.clean_payer(update.message.text if update.message else None)
    data = conversation.data
    done = await dues.confirm(context.svc, update.effective_user.id, data["member_id"], data["code"], paid_by=payer)
    await reply(update, context, "dues/recorded.j2", _undo_rows(done), **_recorded(done))


async def amount_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The collector typed the member's monthly dues standard."""
    target = await dues.set_amount(context.svc, update.effective_user.id, conversation.data["member_id"],
                                   update.message.text if update.message else None)
    await reply(update, context, "dues/amount_set.j2", name=target.name, yuan=yuan(target.dues_fen))


async def _paid(svc, user_id: int, meeting_id: int) -> tuple:
    return meeting_id, *await dues.report_paid(svc, user_id, meeting_id)


def _reported(found: tuple) -> tuple[list[list[Button]], dict]:
    meeting_id, month, before, _, member = found
    rows = [] if before and before.status is DuesStatus.CONFIRMED else [[button("dues/own_amount",
                                                                               cb.own_amount(meeting_id))]]
    return rows, {"month": month, "before": before, "yuan": yuan(before.amount_fen if before else member.dues_fen)}


def _undo_rows(done: dues.Confirmed) -> list[list[Button]]:
    return [[button("dues/undo", cb.undo(done.member.id, done.code))]]


def _recorded(done: dues.Confirmed) -> dict:
    return {"name": done.member.name, "month": done.month, "changed": done.changed, "paid_by": done.payment.paid_by,
            "yuan": yuan(done.payment.amount_fen)}


def _confirmed_toast(done: dues.Confirmed) -> tuple[str, dict]:
    return "dues_confirmed", {"changed": done.changed, "yuan": yuan(done.payment.amount_fen)}


async def _show(update: Update, context: ZhibuContext, message: Outgoing) -> None:
    await edit(update, message.template, message.buttons, **message.params)


async def _listed(svc, user_id: int, member_id: int, code: int) -> tuple:
    done = await dues.confirm(svc, user_id, member_id, code)
    return done, await dues.month_list(svc, user_id, done.payment.period)


async def _then_listed(update: Update, context: ZhibuContext, found: tuple) -> None:
    """/dues shows again in place (the name now 已收), and the answer says the amount, with ↩️ 撤销确认."""
    done, listing = found
    await edit(update, "dues/month.j2", _month_rows(listing), label=listing.label, entries=listing.rows,
               differing=listing.differing)
    await reply(update, context, "dues/recorded.j2", _undo_rows(done), **_recorded(done))


async def _undo(svc, user_id: int, member_id: int, code: int) -> tuple:
    target, month, undone = await dues.undo(svc, user_id, member_id, code)
    return target, month, undone, await dues.card_now(svc, user_id, member_id, code)


async def _then_undone(update: Update, context: ZhibuContext, found: tuple) -> None:
    """The pressed message shows what waits now (the report with 确认收到 again), or that nothing is recorded."""
    target, month, _, now = found
    if now is not None:
        await _show(update, context, now)
    else:
        await edit(update, "dues/undone_card.j2", name=target.name, month=month)


async def _standards(svc, user_id: int, page: int = 0) -> tuple:
    """The members with their standard, at `page` (kept within the pages there are; read again for the presser)."""
    people = await dues.standards(svc, user_id)
    return people, max(0, min(page, (len(people) - 1) // STANDARDS_PAGE))


PRESSES = (
    Press(cb.paid, _paid, None, replies("dues/reported.j2", lambda f: _reported(f)[0], lambda f: _reported(f)[1]),
          "已交党费 on the theme-day reminder: recorded, the 组织委员 asked to confirm."),
    Press(cb.own_amount, dues.begin_own_amount, None,
          replies("dues/ask_own_amount.j2", params=lambda f: {"month": f[0], "yuan": yuan(f[1].dues_fen)}),
          "报其他金额 after 已交党费: ask the member what they paid."),
    Press(cb.confirm, dues.confirm, _confirmed_toast, lambda u, c, done: _show(u, c, done.card),
          "✅ 确认收到 <amount> on a report card: recorded; this card shows it with ↩️ 撤销确认, every other "
          "collector's copy shows it without buttons."),
    Press(cb.confirm_listed, _listed, lambda found: _confirmed_toast(found[0]), _then_listed,
          "📥 记为已收 beside a name on /dues: recorded, the list shown again in place, the answer with ↩️ 撤销确认."),
    Press(cb.undo, _undo, lambda found: ("dues_undone", {"done": found[2] is not None}), _then_undone,
          "↩️ 撤销确认: the month is not received after all (audited); the message shows what waits now."),
    Press(cb.proxy, dues.begin_proxy, None,
          replies("dues/ask_payer.j2", params=lambda f: {"name": f[0].name, "month": f[1]}),
          "代缴 on /dues: ask who paid for the member."),
    Press(cb.standards, _standards, None,
          replies("dues/standards.j2", lambda f: _standard_rows(*f), lambda f: _standards_params(*f)),
          "设定党费标准 on /dues: the members with their standard, a tap on one asks for the amount."),
    Press(cb.standards_page, _standards, None,
          edits("dues/standards.j2", lambda f: _standard_rows(*f), lambda f: _standards_params(*f)),
          "上一页 / 下一页 under 设定党费标准 (re-authorised: the list is read again for the presser)."),
    Press(cb.amount, dues.begin_amount, None, replies("dues/ask_amount.j2", params=lambda t: {"name": t.name}),
          "党费标准 on a member's card or a name under 设定党费标准: ask for the monthly amount."),
)


FORMS = (Form("dues_proxy", payer_step), Form("dues_amount", amount_step),
         Form("dues_own_amount", own_amount_step))


def handlers() -> list:
    return [CommandHandler("dues", dues_command), *presses(PRESSES)]
