"""/members: the roster, a member's card with role toggles, and removing a member."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.models import Conversation, Member
from bot.domain.roles import ASSIGNABLE_ROLES, Role
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import membership
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.forms import register_form
from handlers.telegram.menus import set_member_menu

PAGE = 20


def _roster_rows(active: list[Member], page: int) -> list[list[Button]]:
    shown = active[page * PAGE : (page + 1) * PAGE]
    rows = [[Button(label=m.name, data=f"mem:v:{m.id}") for m in shown[i : i + 3]] for i in range(0, len(shown), 3)]
    nav = []
    if page > 0:
        nav.append(Button(label="« 上一页", data=f"mem:p:{page - 1}"))
    if (page + 1) * PAGE < len(active):
        nav.append(Button(label="下一页 »", data=f"mem:p:{page + 1}"))
    return rows + ([nav] if nav else []) + [[Button(label="➕ 添加无智能手机的党员", data="mem:add")]]


def _card_rows(member: Member) -> list[list[Button]]:
    toggles = [
        Button(label=("✅ " if role in member.roles else "") + role.label, data=f"mem:r:{member.id}:{role.value}")
        for role in ASSIGNABLE_ROLES
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    if Role.SECRETARY not in member.roles:
        rows.append([Button(label="移出支部", data=f"mem:x:{member.id}")])
    rows.append([Button(label="« 返回名册", data="mem:p:0")])
    return rows


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
async def on_button(update: Update, context: ZhibuContext) -> None:
    """Roster paging, a member's card, role toggles and removal — each re-authorised."""
    parts = callback_parts(update, "mem")
    action = parts[0] if parts else ""
    query = update.callback_query
    user_id = update.effective_user.id
    if action == "p" and len(parts) == 2:
        await query.answer()
        await _show_roster(update, context, int_or_stale(parts[1]), as_edit=True)
    elif action == "v" and len(parts) == 2:
        _, member = await membership.member_in_my_branch(context.svc, user_id, int_or_stale(parts[1]))
        await query.answer()
        await edit(update, "members/card.j2", _card_rows(member) if member.is_active else None, member=member)
    elif action == "r" and len(parts) == 3:
        try:
            role = Role(parts[2])
        except ValueError:
            raise UserError("common/stale.j2") from None
        member = await membership.toggle_role(context.svc, user_id, int_or_stale(parts[1]), role)
        await query.answer(("已设为" if role in member.roles else "已取消") + role.label)
        await edit(update, "members/card.j2", _card_rows(member), member=member)
        await set_member_menu(context.bot, context.svc, member)
    elif action == "x" and len(parts) == 2:
        _, member = await membership.member_in_my_branch(context.svc, user_id, int_or_stale(parts[1]))
        if not member.is_active:
            raise UserError("members/not_active.j2", name=member.name)
        await query.answer()
        confirm = [[Button(label="确认移出", data=f"mem:xx:{member.id}"), Button(label="取消", data=f"mem:v:{member.id}")]]
        await edit(update, "members/confirm_remove.j2", confirm, member=member)
    elif action == "add":
        await membership.begin_add_offline(context.svc, user_id)
        await query.answer()
        await reply(update, context, "members/ask_offline_name.j2", max=membership.NAME_MAX)
    elif action == "xx" and len(parts) == 2:
        member = await membership.remove_member(context.svc, user_id, int_or_stale(parts[1]))
        await toast(update, "member_removed")
        await edit(update, "members/card.j2", [[Button(label="« 返回名册", data="mem:p:0")]], member=member)
        await set_member_menu(context.bot, context.svc, member)
    else:
        raise UserError("common/stale.j2")


async def offline_name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed the name of a member without a smartphone."""
    if not update.message or not update.message.text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    member = await membership.add_offline(context.svc, update.effective_user.id, update.message.text,
                                          conversation.data)
    await reply(update, context, "members/offline_added.j2", [[Button(label="« 返回名册", data="mem:p:0")]],
                member=member)


register_form("member_add", offline_name_step)


def handlers() -> list:
    return [CommandHandler("members", roster), CallbackQueryHandler(on_button, pattern=r"^mem:")]
