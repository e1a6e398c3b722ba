"""/members, a member's card: their 党小组 (picked from the branch's groups or named anew) and, while they have no
Telegram account linked, their personal link."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import members as members_cb
from bot.callbacks import partygroups as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation, Member
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import linking, membership, partygroups
from handlers.telegram.common import edit, guarded, on_press, pressed, reply
from handlers.telegram.menus import set_member_menu


def card_row(member: Member) -> list[Button]:
    """The buttons this feature adds to an active member's card in /members."""
    row = [button("partygroups/choose", cb.choose(member.id), group=member.party_group)]
    if member.telegram_id is None:
        row.append(button("roster/personal_link", cb.personal_link(member.id)))
    return row


def _picker_rows(member: Member, groups: list[str]) -> list[list[Button]]:
    picks = [button("partygroups/group", cb.put(member.id, i), name=g, current=g == member.party_group)
             for i, g in enumerate(groups[:18])]
    rows = [picks[i : i + 3] for i in range(0, len(picks), 3)]
    return rows + [[button("partygroups/new", cb.new(member.id)), button("partygroups/ungrouped", cb.none(member.id))],
                   [button("partygroups/back", members_cb.card(member.id))]]


@guarded
async def choose_pressed(update: Update, context: ZhibuContext) -> None:
    """👥 党小组 on a card: the branch's groups to pick from."""
    (member_id,) = pressed(update, cb.choose)
    member, groups = await partygroups.picker(context.svc, update.effective_user.id, member_id)
    await update.callback_query.answer()
    await edit(update, "partygroups/picker.j2", _picker_rows(member, groups), member=member, groups=groups)


async def _after(update: Update, context: ZhibuContext, member: Member) -> None:
    await update.callback_query.answer()
    await edit(update, "partygroups/put.j2", [[button("partygroups/back", members_cb.card(member.id))]], member=member)
    await set_member_menu(context.bot, context.svc, member)  # a 党小组长's /meeting comes and goes with their group


@guarded
async def put_pressed(update: Update, context: ZhibuContext) -> None:
    """A group on the picker: the member is in it now."""
    member_id, index = pressed(update, cb.put)
    await _after(update, context, await partygroups.put(context.svc, update.effective_user.id, member_id, index))


@guarded
async def none_pressed(update: Update, context: ZhibuContext) -> None:
    """不分组: the member leaves their group."""
    (member_id,) = pressed(update, cb.none)
    await _after(update, context, await partygroups.put(context.svc, update.effective_user.id, member_id, None))


@guarded
async def new_pressed(update: Update, context: ZhibuContext) -> None:
    """➕ 新建党小组: ask for its name."""
    (member_id,) = pressed(update, cb.new)
    member = await partygroups.begin_new(context.svc, update.effective_user.id, member_id)
    await update.callback_query.answer()
    await reply(update, context, "partygroups/ask_name.j2", name=member.name)


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The new group's name, typed."""
    text = update.message.text if update.message else None
    member = await partygroups.new_typed(context.svc, update.effective_user.id, text, conversation.data)
    await reply(update, context, "partygroups/put.j2", [[button("partygroups/back", members_cb.card(member.id))]],
                member=member)
    await set_member_menu(context.bot, context.svc, member)


@guarded
async def personal_link_pressed(update: Update, context: ZhibuContext) -> None:
    """🔗 个人链接: the member's own deep link, for the secretary to forward."""
    (member_id,) = pressed(update, cb.personal_link)
    member, code = await linking.personal_code(context.svc, update.effective_user.id, member_id)
    await update.callback_query.answer()
    link = membership.invite_link(context.svc.bot_username, code)
    await reply(update, context, "roster/personal_link.j2", name=member.name, link=link)


FORMS = (Form(partygroups.FORM, name_step),)


def handlers() -> list:
    return [on_press(cb.choose, choose_pressed), on_press(cb.put, put_pressed), on_press(cb.none, none_pressed),
            on_press(cb.new, new_pressed), on_press(cb.personal_link, personal_link_pressed)]
