"""Group chats: /linkgroup and /unlinkgroup by the secretary, /wall (the 民心墙's public board); other commands there point to the private chat.
Also where the bot learns it was removed from a group, or blocked and unblocked in a private chat."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot.context import ZhibuContext
from bot.services import groups, membership
from handlers import wall
from handlers.telegram.common import guarded, reply

IN_GROUP = filters.ChatType.GROUPS


@guarded
async def link(update: Update, context: ZhibuContext) -> None:
    """/linkgroup in a group: this group becomes the branch's group."""
    branch = await groups.link(context.svc, update.effective_user.id, update.effective_chat.id)
    await reply(update, context, "groups/linked.j2", branch=branch.name)


@guarded
async def unlink(update: Update, context: ZhibuContext) -> None:
    """/unlinkgroup in the linked group."""
    branch = await groups.unlink(context.svc, update.effective_user.id, update.effective_chat.id)
    await reply(update, context, "groups/unlinked.j2", branch=branch.name)


@guarded
async def group_command(update: Update, context: ZhibuContext) -> None:
    """Any other command in a group: personal matters are handled in the private chat only."""
    await reply(update, context, "groups/use_private.j2", username=context.bot.username)


async def bot_membership_changed(update: Update, context: ZhibuContext) -> None:
    """The bot was removed from a group: unlink it so notices stop trying to go there. In a private chat, a
    member who unblocks the bot can be reached again."""
    change = update.my_chat_member
    if change.chat.type in ("group", "supergroup") and change.new_chat_member.status in ("left", "kicked"):
        await groups.forget_chat(context.svc, change.chat.id)
    elif change.chat.type == "private" and change.new_chat_member.status == "member":
        await membership.mark_reachable(context.svc, change.from_user.id)


def handlers() -> list:
    return [
        CommandHandler("linkgroup", link, filters=IN_GROUP),
        CommandHandler("unlinkgroup", unlink, filters=IN_GROUP),
        CommandHandler("wall", wall.show_board, filters=IN_GROUP),  # the 民心墙's public board
        MessageHandler(IN_GROUP & filters.COMMAND, group_command),
        ChatMemberHandler(bot_membership_changed, ChatMemberHandler.MY_CHAT_MEMBER),
    ]
