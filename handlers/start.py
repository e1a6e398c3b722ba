"""/start: greet a member, or begin joining a branch from an invite link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import commands as commands_cb
from bot.context import ZhibuContext
from bot.domain.models import Member
from bot.outgoing import button
from bot.services import first_steps, membership, units
from handlers import checkin_qr, community, roster, wall
from handlers.join import applicant_rows
from handlers.telegram.common import guarded, reply
from handlers.telegram.menus import set_member_menu, set_officer_menu

# Where an officer who is in no branch starts: the subtree at a glance, and its units (buttons on /start).
OFFICER_STARTS = (commands_cb.Command.OVERVIEW, commands_cb.Command.UNITS)


async def _opened_link(update: Update, context: ZhibuContext, code: str) -> bool:
    """A check-in QR's link, a 民心墙's link (a resident: no joining), a community's 报到 link or a personal link from
    the roster: answered there."""
    return (await checkin_qr.opened_link(update, context, code) or await wall.opened_link(update, context, code)
            or await community.opened_link(update, context, code)
            or await roster.opened_personal_link(update, context, code))


@guarded
async def start(update: Update, context: ZhibuContext) -> None:
    """Greet a known member by name and role; a new person with a code is asked their name."""
    svc = context.svc
    user = update.effective_user
    code = context.args[0] if context.args else None
    if code is not None and await _opened_link(update, context, code):
        return
    member = await membership.member_of(svc, user.id)
    if member is not None and member.is_active and not member.reachable:
        # They blocked the bot (or never started it) and are back: restore their reminders.
        member = await membership.mark_reachable(svc, user.id) or member
    if member is not None and not member.is_active:  # a request waiting: it can still be corrected or withdrawn
        await reply(update, context, "start/pending.j2", applicant_rows(), member=member)
        return
    if member is not None:
        await set_member_menu(context.bot, svc, member, user.id in svc.settings.admins,
                              await units.is_officer(svc, user.id))
        await _welcome(update, context, member)
        return
    if code is None:
        await _greet_stranger(update, context)
        return
    branch = await membership.begin_join(svc, user.id, code)
    await reply(update, context, "join/ask_name.j2", branch=branch.name)


async def _welcome(update: Update, context: ZhibuContext, member: Member) -> None:
    """A member by name and role; a secretary also gets the first steps not done yet, a button each."""
    steps = await first_steps.steps_for(context.svc, member)
    rows = [[button("start/step", commands_cb.open_command(s.command), key=s.key)] for s in steps if not s.done]
    await reply(update, context, "start/welcome.j2", rows, member=member, steps=steps)


async def _greet_stranger(update: Update, context: ZhibuContext) -> None:
    """Someone in no branch: how to join; an officer (or admin) also gets their menu and where to start."""
    svc, user = context.svc, update.effective_user
    is_admin, is_officer = user.id in svc.settings.admins, await units.is_officer(svc, user.id)
    is_inspector = await units.is_inspector(svc, user.id)
    rows = None
    if is_officer or is_inspector:
        await set_officer_menu(context.bot, svc, user.id, again=True, is_officer=is_officer, is_inspector=is_inspector)
    if is_officer:
        rows = [[button("start/step", commands_cb.open_command(c), key=c.value) for c in OFFICER_STARTS]]
    await reply(update, context, "start/stranger.j2", rows, is_admin=is_admin, is_officer=is_officer,
                is_inspector=is_inspector)


def handlers() -> list:
    return [CommandHandler("start", start)]
