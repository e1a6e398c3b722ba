"""/units: an officer browses the organisation tree below them, adds officers to the units under them (by Telegram
id, or with a one-use link the new officer opens) and removes officers of their own unit or the units under it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import inspectors as inspector_cb
from bot.callbacks import units as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.domain.units import Officer, Unit
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import units
from handlers.telegram.common import edit, guarded, on_press, pressed, reply
from handlers.telegram.menus import set_officer_menu


def _rows(view: units.UnitView) -> list[list[Button]]:
    children = [button("units/child", cb.view(u.id), name=u.name) for u in view.children[:30]]
    rows = [children[i : i + 2] for i in range(0, len(children), 2)]
    named = [button("units/branch", cb.branch(b.id), name=b.name) for b in view.branches[:30]]
    rows += [named[i : i + 2] for i in range(0, len(named), 2)]
    if not view.read_only:
        rows.append([button("units/inspectors", inspector_cb.listing(view.unit.id))])
    if view.may_add_officer:
        rows.append([button("units/add_officer", cb.add_officer(view.unit.id)),
                     button("units/officer_link", cb.officer_link(view.unit.id))])
    if view.may_remove_officer:
        rows.append([button("units/remove_officers", cb.officers(view.unit.id, 0))])
    if view.parent is not None:
        rows.append([button("units/up", cb.view(view.parent.id), name=view.parent.name)])
    return rows


@guarded
async def show_units(update: Update, context: ZhibuContext) -> None:
    """/units: the officer's own unit, its units and branches."""
    view = await units.view(context.svc, update.effective_user.id)
    await reply(update, context, "units/view.j2", _rows(view), v=view)


@guarded
async def view_pressed(update: Update, context: ZhibuContext) -> None:
    """A unit below (or the way back up): shown in place, if it is in the officer's subtree."""
    (unit_id,) = pressed(update, cb.view)
    view = await units.view(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    await edit(update, "units/view.j2", _rows(view), v=view)


@guarded
async def branch_pressed(update: Update, context: ZhibuContext) -> None:
    """A branch of the subtree: its secretary, size, and the secretary's personal link while unlinked."""
    (branch_id,) = pressed(update, cb.branch)
    view = await units.branch_view(context.svc, update.effective_user.id, branch_id)
    await update.callback_query.answer()
    links = {p.id: units.officer_link(context.svc.bot_username, code) for p, code in view.secretaries if code}
    await edit(update, "units/branch.j2", [[button("units/up", cb.view(view.unit.id), name=view.unit.name)]],
               v=view, links=links)


@guarded
async def add_officer_pressed(update: Update, context: ZhibuContext) -> None:
    """➕ 按 ID 添加管理员: ask for the Telegram id."""
    (unit_id,) = pressed(update, cb.add_officer)
    unit = await units.begin_add_officer(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    await reply(update, context, "units/ask_officer.j2", unit=unit.name)


async def officer_id_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The new officer's Telegram id, typed."""
    text = update.message.text if update.message else None
    unit, telegram_id, added = await units.officer_id_typed(context.svc, update.effective_user.id, text,
                                                           conversation.data)
    await set_officer_menu(context.bot, context.svc, telegram_id)  # their ☰ shows /units before they write
    await reply(update, context, "units/officer_added.j2", unit=unit.name, telegram_id=telegram_id, added=added)


@guarded
async def officer_link_pressed(update: Update, context: ZhibuContext) -> None:
    """🔗 管理员邀请链接: a one-use link that makes its opener an officer of the unit."""
    (unit_id,) = pressed(update, cb.officer_link)
    code = await units.new_officer_invite(context.svc, update.effective_user.id, unit_id)
    view = await units.view(context.svc, update.effective_user.id, unit_id)
    await update.callback_query.answer()
    link = units.officer_link(context.svc.bot_username, code)
    await reply(update, context, "units/officer_link.j2", unit=view.unit.name, link=link)


OFFICERS_PAGE = 40  # names a page: well under Telegram's 100 buttons, as /dues pages its list


def _officer_rows(unit: Unit, officers: list[Officer], page: int) -> list[list[Button]]:
    shown = officers[page * OFFICERS_PAGE : (page + 1) * OFFICERS_PAGE]
    names = [button("units/remove", cb.remove_officer(unit.id, o.telegram_id), name=o.name, tid=o.telegram_id)
             for o in shown]
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    nav = [button("units/prev", cb.officers(unit.id, page - 1))] if page > 0 else []
    if (page + 1) * OFFICERS_PAGE < len(officers):
        nav.append(button("units/next", cb.officers(unit.id, page + 1)))
    return rows + ([nav] if nav else []) + [[button("units/back", cb.view(unit.id), name=unit.name)]]


@guarded
async def officers_pressed(update: Update, context: ZhibuContext) -> None:
    """➖ 移除管理员: the unit's other officers, a button each (paged)."""
    unit_id, page = pressed(update, cb.officers)
    unit, officers = await units.officers_to_remove(context.svc, update.effective_user.id, unit_id)
    page = max(0, min(page, (len(officers) - 1) // OFFICERS_PAGE))
    await update.callback_query.answer()
    await edit(update, "units/officers.j2", _officer_rows(unit, officers, page), unit=unit.name,
               count=len(officers), page=page, pages=max(1, -(-len(officers) // OFFICERS_PAGE)))


@guarded
async def remove_pressed(update: Update, context: ZhibuContext) -> None:
    """移除 …: asks to confirm first."""
    unit_id, officer_id = pressed(update, cb.remove_officer)
    unit, officer = await units.officer_of(context.svc, update.effective_user.id, unit_id, officer_id)
    rows = [[button("units/remove_confirm", cb.remove_confirmed(unit.id, officer.telegram_id)),
             button("units/back", cb.officers(unit.id, 0), name=unit.name)]]
    await update.callback_query.answer()
    await edit(update, "units/remove_confirm.j2", rows, unit=unit.name, officer=officer)


@guarded
async def remove_confirmed_pressed(update: Update, context: ZhibuContext) -> None:
    """确认移除: no longer an officer; the unit's unused links are revoked; audited."""
    unit_id, officer_id = pressed(update, cb.remove_confirmed)
    svc, user_id = context.svc, update.effective_user.id
    unit, officer = await units.officer_of(svc, user_id, unit_id, officer_id)
    done = await units.remove_officer(svc, unit.id, officer.telegram_id, actor_telegram_id=user_id)
    await update.callback_query.answer()
    await edit(update, "units/officer_removed.j2", [[button("units/back", cb.view(unit.id), name=unit.name)]],
               unit=unit.name, officer=officer, removed=done.removed, revoked=done.revoked_links)


FORMS = (Form(units.OFFICER_FORM, officer_id_step),)


def handlers() -> list:
    return [CommandHandler("units", show_units), on_press(cb.view, view_pressed), on_press(cb.branch, branch_pressed),
            on_press(cb.add_officer, add_officer_pressed), on_press(cb.officer_link, officer_link_pressed),
            on_press(cb.officers, officers_pressed), on_press(cb.remove_officer, remove_pressed),
            on_press(cb.remove_confirmed, remove_confirmed_pressed)]
