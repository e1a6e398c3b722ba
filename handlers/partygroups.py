"""/members, a member's card: their 党小组 (picked from the branch's groups or named anew) and, while they have no
Telegram account linked, their personal link."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import membership as membership_cb
from bot.callbacks import partygroups as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation, Member
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import linking, membership, partygroups
from handlers.telegram.common import edit, reply
from handlers.telegram.menus import set_member_menu
from handlers.telegram.presses import Press, edits, presses, replies


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
                   [button("partygroups/back", membership_cb.card(member.id))]]


async def _after(update: Update, context: ZhibuContext, member: Member) -> None:
    await edit(update, "partygroups/put.j2", [[button("partygroups/back", membership_cb.card(member.id))]], member=member)
    await set_member_menu(context.bot, context.svc, member)  # a 党小组长's /meeting comes and goes with their group


async def _link(svc, user_id: int, member_id: int) -> tuple:
    member, code = await linking.personal_code(svc, user_id, member_id)
    return member, membership.invite_link(svc.bot_username, code)


PRESSES = (
    Press(cb.choose, partygroups.picker, None,
          edits("partygroups/picker.j2", lambda found: _picker_rows(*found),
                lambda found: {"member": found[0], "groups": found[1]}),
          "👥 党小组 on a card: the branch's groups to pick from."),
    Press(cb.put, partygroups.put, None, _after, "A group on the picker: the member is in it now."),
    Press(cb.none, lambda svc, user_id, member_id: partygroups.put(svc, user_id, member_id, None), None, _after,
          "不分组: the member leaves their group."),
    Press(cb.new, partygroups.begin_new, None,
          replies("partygroups/ask_name.j2", params=lambda member: {"name": member.name}),
          "➕ 新建党小组: ask for its name."),
    Press(cb.personal_link, _link, None,
          replies("roster/personal_link.j2", params=lambda found: {"name": found[0].name, "link": found[1]}),
          "🔗 个人链接: the member's own deep link, for the secretary to forward."),
)


async def name_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The new group's name, typed."""
    text = update.message.text if update.message else None
    member = await partygroups.new_typed(context.svc, update.effective_user.id, text, conversation.data)
    await reply(update, context, "partygroups/put.j2", [[button("partygroups/back", membership_cb.card(member.id))]],
                member=member)
    await set_member_menu(context.bot, context.svc, member)


FORMS = (Form(partygroups.FORM, name_step),)


def handlers() -> list:
    return presses(PRESSES)
