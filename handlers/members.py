"""/members: the roster, a member's card with role toggles, and removing a member."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import dues as dues_cb
from bot.callbacks import members as cb
from bot.context import ZhibuContext
from bot.domain.dues import yuan
from bot.domain.models import Conversation, Member
from bot.domain.roles import ASSIGNABLE_ROLES, Role
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import membership
from handlers import partygroups
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.menus import set_member_menu

PAGE = 20


def _roster_rows(active: list[Member], page: int) -> list[list[Button]]:
    shown = active[page * PAGE : (page + 1) * PAGE]
    rows = [[button("members/person", cb.card(m.id), name=m.name) for m in shown[i : i + 3]]
            for i in range(0, len(shown), 3)]
    nav = []
    if page > 0:
        nav.append(button("members/previous_page", cb.page(page - 1)))
    if (page + 1) * PAGE < len(active):
        nav.append(button("members/next_page", cb.page(page + 1)))
    return rows + ([nav] if nav else []) + [[button("members/add_offline", cb.add_offline())]]


def _card_rows(member: Member) -> list[list[Button]]:
    toggles = [
        button("members/role", cb.role(member.id, role), role=role.label, held=role in member.roles)
        for role in ASSIGNABLE_ROLES
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)] + [partygroups.card_row(member)]
    rows.append([button("dues/amount", dues_cb.amount(member.id), yuan=yuan(member.dues_fen))])
    if Role.SECRETARY not in member.roles:
        rows.append([button("members/remove", cb.remove(member.id))])
    return rows + _back_rows()


def _back_rows() -> list[list[Button]]:
    return [[button("members/back", cb.page(0))]]


async def _show_roster(update: Update, context: ZhibuContext, page: int, as_edit: bool) -> None:
    actor, active, pending = await membership.roster(context.svc, update.effective_user.id)
    page = max(0, min(page, (len(active) - 1) // PAGE))
    params = {"active": active, "pending": pending, "page": page, "pages": (len(active) - 1) // PAGE + 1}
    if as_edit:
        await edit(update, "members/roster.j2", _roster_rows(active, page), **params)
    else:
        await reply(update, context, "members/roster.j2", _roster_rows(active, page), **params)


@guarded
async def roster(update: Update, context: ZhibuContext) -> None:
    """The secretary's roster: tap a name to see and change that member."""
    await _show_roster(update, context, 0, as_edit=False)


@guarded
async def page_pressed(update: Update, context: ZhibuContext) -> None:
    """« 上一页 / 下一页 » / « 返回名册."""
    (page,) = pressed(update, cb.page)
    await update.callback_query.answer()
    await _show_roster(update, context, page, as_edit=True)


@guarded
async def card_pressed(update: Update, context: ZhibuContext) -> None:
    """A name on the roster: that member's card (role toggles while they are active)."""
    (member_id,) = pressed(update, cb.card)
    _, member = await membership.member_in_my_branch(context.svc, update.effective_user.id, member_id)
    await update.callback_query.answer()
    await edit(update, "members/card.j2", _card_rows(member) if member.is_active else None, member=member)


@guarded
async def role_pressed(update: Update, context: ZhibuContext) -> None:
    """A role on the card: given or taken away; the member's command menu follows."""
    member_id, role = pressed(update, cb.role)
    member = await membership.toggle_role(context.svc, update.effective_user.id, member_id, role)
    await toast(update, "role_toggled", given=role in member.roles, role=role.label)
    await edit(update, "members/card.j2", _card_rows(member), member=member)
    await set_member_menu(context.bot, context.svc, member)


@guarded
async def remove_pressed(update: Update, context: ZhibuContext) -> None:
    """移出支部: asks to confirm."""
    (member_id,) = pressed(update, cb.remove)
    _, member = await membership.member_in_my_branch(context.svc, update.effective_user.id, member_id)
    if not member.is_active:
        raise UserError("members/not_active.j2", name=member.name)
    await update.callback_query.answer()
    confirm = [[button("members/remove_confirm", cb.remove_confirmed(member.id)),
                button("members/cancel", cb.card(member.id))]]
    await edit(update, "members/confirm_remove.j2", confirm, member=member)


@guarded
async def remove_confirmed_pressed(update: Update, context: ZhibuContext) -> None:
    """确认移出: the member leaves the branch (history kept)."""
    (member_id,) = pressed(update, cb.remove_confirmed)
    member = await membership.remove_member(context.svc, update.effective_user.id, member_id)
    await toast(update, "member_removed")
    await edit(update, "members/card.j2", _back_rows(), member=member)
    await set_member_menu(context.bot, context.svc, member)


@guarded
async def add_offline_pressed(update: Update, context: ZhibuContext) -> None:
    """➕: ask for the name of a member without a smartphone."""
    await membership.begin_add_offline(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await reply(update, context, "members/ask_offline_name.j2", max=membership.NAME_MAX)


async def offline_name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed the name of a member without a smartphone."""
    if not update.message or not update.message.text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    member = await membership.add_offline(context.svc, update.effective_user.id, update.message.text,
                                          conversation.data)
    await reply(update, context, "members/offline_added.j2", _back_rows(), member=member)


FORMS = (Form("member_add", offline_name_step),)


def handlers() -> list:
    return [CommandHandler("members", roster), on_press(cb.page, page_pressed), on_press(cb.card, card_pressed),
            on_press(cb.role, role_pressed), on_press(cb.remove, remove_pressed),
            on_press(cb.remove_confirmed, remove_confirmed_pressed), on_press(cb.add_offline, add_offline_pressed)]
