"""Joining: the name step of the join form (a name that does not look real is questioned first), the applicant's own
修改姓名 / 撤回申请 while the request waits, and the approvers' 通过 / 拒绝 on the card and in /pending."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import join as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import join_requests, membership
from handlers.review import pending_view
from handlers.telegram.common import edit, reply
from handlers.telegram.menus import set_member_menu
from handlers.telegram.presses import Press, edits, presses, replies


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


async def _renamed(update: Update, context: ZhibuContext, name: str) -> None:
    member, old = await join_requests.rename(context.svc, update.effective_user.id, name)
    await reply(update, context, "join/renamed.j2", applicant_rows(), name=member.name, old=old)


async def _name_typed(update: Update, context: ZhibuContext, conversation: Conversation, form: str, then) -> None:
    text = update.message.text if update.message else None
    if not text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    checked = await join_requests.checked_name(context.svc, update.effective_user.id, text, form, conversation.data)
    if isinstance(checked, join_requests.Questioned):
        await _questioned(update, context, checked.name)
    else:
        await then(checked)


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The person answered with their real name (or, asked again, with another one)."""
    await _name_typed(update, context, conversation, join_requests.JOIN_FORM,
                      lambda name: _submit(update, context, name, conversation.data))


async def rename_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The corrected name, typed (questioned like the first one)."""
    await _name_typed(update, context, conversation, join_requests.RENAME_FORM,
                      lambda name: _renamed(update, context, name))


async def _confirmed(update: Update, context: ZhibuContext, found: tuple) -> None:
    """The questioned name, as typed: the request goes in (or the correction is kept)."""
    form, name, data = found
    if form == join_requests.RENAME_FORM:
        await _renamed(update, context, name)
    else:
        await _submit(update, context, name, data)


async def _decided(update: Update, context: ZhibuContext, decision) -> None:
    """The card says how it was decided; an approved member's command menu is set."""
    await edit(update, "join/decided_card.j2", member=decision.member, approved=decision.approved)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


async def _listed_decided(update: Update, context: ZhibuContext, decision) -> None:
    """/pending shows again in place, without the request just decided; an approved member's menu is set."""
    keyboard, params = await pending_view(context, update.effective_user.id)
    await edit(update, "review/pending.j2", keyboard, **params)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


def _decide(decide, approve: bool):
    async def run(svc, user_id: int, member_id: int):
        return await decide(svc, user_id, member_id, approve)
    return run


def _toast(decision) -> tuple[str, dict]:
    return "decided", {"already": decision.already}


async def _decide_join(svc, user_id: int, member_id: int, approve: bool):
    return await membership.decide_join(svc, user_id, member_id, approve=approve)


# Re-authorised in the use case, whatever the button says; a second tap says it was already handled.
PRESSES = (
    Press(cb.approve, _decide(_decide_join, True), _toast, _decided, "通过 on a join card."),
    Press(cb.reject, _decide(_decide_join, False), _toast, _decided, "拒绝 on a join card."),
    Press(cb.approve_listed, _decide(join_requests.decide_listed, True), _toast, _listed_decided,
          "通过 beside a name in /pending (通过（即名册上的…）when the name is one unlinked roster row)."),
    Press(cb.reject_listed, _decide(join_requests.decide_listed, False), _toast, _listed_decided,
          "拒绝 beside a name in /pending."),
    Press(cb.confirm_name, join_requests.confirmed, None, _confirmed, "确认使用 \"…\": the questioned name, kept as typed."),
    Press(cb.rename, join_requests.begin_rename, None,
          replies("join/ask_new_name.j2", params=lambda member: {"name": member.name}),
          "✏️ 修改姓名 while the request waits: the next message is the corrected name."),
    Press(cb.withdraw, join_requests.withdraw, "join_withdrawn", edits("join/withdrawn.j2"),
          "↩️ 撤回申请 while the request waits: ended, the approvers told."),
)


FORMS = (Form(join_requests.JOIN_FORM, name_step), Form(join_requests.RENAME_FORM, rename_step))


def handlers() -> list:
    return presses(PRESSES)
