"""/members: the roster, a member's card with role toggles, and removing a member."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import dues as dues_cb
from bot.callbacks import membership as cb
from bot.context import ZhibuContext
from bot.domain.dues import yuan
from bot.domain.models import Conversation, Member
from bot.domain.roles import ASSIGNABLE_ROLES, Role
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import membership
from handlers import partygroups
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.menus import set_member_menu
from handlers.telegram.presses import Press, edits, presses, replies

PAGE = 20


def _roster_rows(active: list[Member], page: int) -> list[list[Button]]:
    shown = active[page * PAGE : (page + 1) * PAGE]
    rows = [[button("membership/person", cb.card(m.id), name=m.name) for m in shown[i : i + 3]]
            for i in range(0, len(shown), 3)]
    nav = []
    if page > 0:
        nav.append(button("membership/previous_page", cb.page(page - 1)))
    if (page + 1) * PAGE < len(active):
        nav.append(button("membership/next_page", cb.page(page + 1)))
    return rows + ([nav] if nav else []) + [[button("membership/add_offline", cb.add_offline())]]


def _card_rows(member: Member) -> list[list[Button]]:
    toggles = [
        button("membership/role", cb.role(member.id, role), role=role.label, held=role in member.roles)
        for role in ASSIGNABLE_ROLES
    ]
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)] + [partygroups.card_row(member)]
    rows.append([button("dues/amount", dues_cb.amount(member.id), yuan=yuan(member.dues_fen))])
    if Role.SECRETARY not in member.roles:
        rows.append([button("membership/remove", cb.remove(member.id))])
    return rows + _back_rows()


def _back_rows() -> list[list[Button]]:
    return [[button("membership/back", cb.page(0))]]


async def _roster(svc, user_id: int, page: int = 0) -> dict:
    """The roster's values at `page` (kept within the pages there are)."""
    _, active, pending = await membership.roster(svc, user_id)
    page = max(0, min(page, (len(active) - 1) // PAGE))
    return {"active": active, "pending": pending, "page": page, "pages": (len(active) - 1) // PAGE + 1}


def _roster_view(params: dict) -> list[list[Button]]:
    return _roster_rows(params["active"], params["page"])


@guarded
async def roster(update: Update, context: ZhibuContext) -> None:
    """The secretary's roster: tap a name to see and change that member."""
    params = await _roster(context.svc, update.effective_user.id)
    await reply(update, context, "membership/roster.j2", _roster_view(params), **params)


async def _of_my_branch(svc, user_id: int, member_id: int) -> Member:
    return (await membership.member_in_my_branch(svc, user_id, member_id))[1]


async def _removable(svc, user_id: int, member_id: int) -> Member:
    member = await _of_my_branch(svc, user_id, member_id)
    if not member.is_active:
        raise UserError("membership/not_active.j2", name=member.name)
    return member


async def _with_menu(update: Update, context: ZhibuContext, member: Member, rows: list[list[Button]]) -> None:
    """The card in place; the member's command menu follows their roles."""
    await edit(update, "membership/card.j2", rows, member=member)
    await set_member_menu(context.bot, context.svc, member)


async def _toggle(svc, user_id: int, member_id: int, role: Role) -> tuple[Member, Role]:
    return await membership.toggle_role(svc, user_id, member_id, role), role


PRESSES = (
    Press(cb.page, _roster, None, edits("membership/roster.j2", _roster_view, lambda params: params),
          "« 上一页 / 下一页 » / « 返回名册."),
    Press(cb.card, _of_my_branch, None,
          edits("membership/card.j2", lambda m: _card_rows(m) if m.is_active else None, lambda m: {"member": m}),
          "A name on the roster: that member's card (role toggles while they are active)."),
    Press(cb.role, _toggle, lambda done: ("member_role", {"held": done[1] in done[0].roles, "role": done[1].label}),
          lambda update, context, done: _with_menu(update, context, done[0], _card_rows(done[0])),
          "A role on the card: given or taken away; the member's command menu follows."),
    Press(cb.remove, _removable, None,
          edits("membership/confirm_remove.j2", lambda m: [[button("membership/remove_confirm", cb.remove_confirmed(m.id)),
                                                          button("membership/cancel", cb.card(m.id))]],
                lambda m: {"member": m}),
          "移出支部: asks to confirm."),
    Press(cb.remove_confirmed, membership.remove_member, "member_removed",
          lambda update, context, member: _with_menu(update, context, member, _back_rows()),
          "确认移出: the member leaves the branch (history kept)."),
    Press(cb.add_offline, membership.begin_add_offline, None,
          replies("membership/ask_offline_name.j2", params=lambda _: {"max": membership.NAME_MAX}),
          "➕: ask for the name of a member without a smartphone."),
)


async def offline_name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The secretary typed the name of a member without a smartphone."""
    if not update.message or not update.message.text:
        raise UserError("join/bad_name.j2", max=membership.NAME_MAX)
    member = await membership.add_offline(context.svc, update.effective_user.id, update.message.text,
                                          conversation.data)
    await reply(update, context, "membership/offline_added.j2", _back_rows(), member=member)


FORMS = (Form("member_add", offline_name_step),)


def handlers() -> list:
    return [CommandHandler("members", roster), *presses(PRESSES)]
