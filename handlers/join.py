"""Joining: the name step of the join form (a name that does not look real is questioned first), the applicant's own
修改姓名 / 撤回申请 while the request waits, and the approvers' 通过 / 拒绝 on the card and in /pending."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action
from bot.callbacks import join as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import join_requests, membership
from handlers.review import pending_view
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.menus import set_member_menu


def applicant_rows() -> list[list[Button]]:
    """What an applicant can do while the request waits."""
    return [[button("join/rename", cb.rename()), button("join/withdraw", cb.withdraw())]]


async def _questioned(update: Update, context: ZhibuContext, name: str) -> None:
    await reply(update, context, "join/question_name.j2", [[button("join/confirm_name", cb.confirm_name(), name=name)]],
                name=name)


async def _submit(update: Update, context: ZhibuContext, name: str, data: dict) -> None:
    request = await membership.submit_join_name(context.svc, update.effective_user.id, name, data)
    await reply(update, context, "join/waiting.j2", applicant_rows(), name=request.member.name,
                branch=request.branch.name)


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The person answered with their real name (or, asked again, with another one)."""
    text = update.message.text if update.message else None
    if not text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    checked = await join_requests.checked_name(context.svc, update.effective_user.id, text, join_requests.JOIN_FORM,
                                               conversation.data)
    if isinstance(checked, join_requests.Questioned):
        await _questioned(update, context, checked.name)
        return
    await _submit(update, context, checked, conversation.data)


async def _renamed(update: Update, context: ZhibuContext, name: str) -> None:
    member, old = await join_requests.rename(context.svc, update.effective_user.id, name)
    await reply(update, context, "join/renamed.j2", applicant_rows(), name=member.name, old=old)


async def rename_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The corrected name, typed (questioned like the first one)."""
    text = update.message.text if update.message else None
    if not text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    checked = await join_requests.checked_name(context.svc, update.effective_user.id, text,
                                               join_requests.RENAME_FORM, conversation.data)
    if isinstance(checked, join_requests.Questioned):
        await _questioned(update, context, checked.name)
        return
    await _renamed(update, context, checked)


@guarded
async def confirm_name_pressed(update: Update, context: ZhibuContext) -> None:
    """确认使用 "…": the questioned name, as typed."""
    pressed(update, cb.confirm_name)
    form, name, data = await join_requests.confirmed(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    if form == join_requests.RENAME_FORM:
        await _renamed(update, context, name)
    else:
        await _submit(update, context, name, data)


@guarded
async def rename_pressed(update: Update, context: ZhibuContext) -> None:
    """✏️ 修改姓名 while the request waits."""
    pressed(update, cb.rename)
    member = await join_requests.begin_rename(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await reply(update, context, "join/ask_new_name.j2", name=member.name)


@guarded
async def withdraw_pressed(update: Update, context: ZhibuContext) -> None:
    """↩️ 撤回申请 while the request waits: ended, the approvers told."""
    pressed(update, cb.withdraw)
    await join_requests.withdraw(context.svc, update.effective_user.id)
    await toast(update, "join_withdrawn")
    await edit(update, "join/withdrawn.j2")


async def _decide(update: Update, context: ZhibuContext, action: Action, approve: bool) -> None:
    """Re-authorised here, whatever the button says; a second tap says it was already handled."""
    (member_id,) = pressed(update, action)
    decision = await membership.decide_join(context.svc, update.effective_user.id, member_id, approve=approve)
    await toast(update, "decided", already=decision.already)
    await edit(update, "join/decided_card.j2", member=decision.member, approved=decision.approved)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


@guarded
async def approve_pressed(update: Update, context: ZhibuContext) -> None:
    """通过 on a join card."""
    await _decide(update, context, cb.approve, approve=True)


@guarded
async def reject_pressed(update: Update, context: ZhibuContext) -> None:
    """拒绝 on a join card."""
    await _decide(update, context, cb.reject, approve=False)


async def _decide_listed(update: Update, context: ZhibuContext, action: Action, approve: bool) -> None:
    """From /pending: decided as on the card, then the list is shown again in place."""
    (member_id,) = pressed(update, action)
    user_id = update.effective_user.id
    decision = await join_requests.decide_listed(context.svc, user_id, member_id, approve)
    await toast(update, "decided", already=decision.already)
    keyboard, params = await pending_view(context, user_id)
    await edit(update, "review/pending.j2", keyboard, **params)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


@guarded
async def approve_listed_pressed(update: Update, context: ZhibuContext) -> None:
    """通过 beside a name in /pending."""
    await _decide_listed(update, context, cb.approve_listed, approve=True)


@guarded
async def reject_listed_pressed(update: Update, context: ZhibuContext) -> None:
    """拒绝 beside a name in /pending."""
    await _decide_listed(update, context, cb.reject_listed, approve=False)


FORMS = (Form(join_requests.JOIN_FORM, name_step), Form(join_requests.RENAME_FORM, rename_step))


def handlers() -> list:
    return [on_press(cb.approve, approve_pressed), on_press(cb.reject, reject_pressed),
            on_press(cb.approve_listed, approve_listed_pressed), on_press(cb.reject_listed, reject_listed_pressed),
            on_press(cb.confirm_name, confirm_name_pressed), on_press(cb.rename, rename_pressed),
            on_press(cb.withdraw, withdraw_pressed)]
