"""The roll-up bot's chat side (市委/省委组织部): /overview of every county worst first → a county's branches → a
branch's card (the county officers' own cards), the county × month heat map, /export of the unit registers across
counties, and /task: a task from above to every county's branches (preview, then 发布 or 放弃)."""

from __future__ import annotations

import logging
from io import BytesIO
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.callbacks import rollup as cb
from bot.callbacks.overview import Filter
from bot.outgoing import Button, button
from bot.render import render
from bot.rollup import menu, service
from bot.rollup.service import Rollup
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses

log = logging.getLogger(__name__)

# A province has a hundred counties and more: a page of them keeps the message within Telegram's 4,096 characters
# and its keyboard within 100 buttons.
COUNTIES_PER_PAGE = 15


def _counties_page(found: list, name: str, page: int) -> dict[str, Any]:
    """The page `page` of every county (worst first), with the totals over all of them."""
    pages = max(1, -(-len(found) // COUNTIES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * COUNTIES_PER_PAGE
    return {"counties": found[start:start + COUNTIES_PER_PAGE], "name": name, "total": len(found),
            "branches": sum(c.branches for c in found), "start": start, "page": page, "pages": pages}


def _counties_rows(shown: dict[str, Any]) -> list[list[Button]]:
    named = [button("rollup/county", cb.county(c.index, Filter.ALL, 0), title=c.title, level=c.level)
             for c in shown["counties"]]
    nav = [button("overview/prev", cb.counties(shown["page"] - 1))] if shown["page"] > 0 else []
    if shown["page"] < shown["pages"] - 1:
        nav.append(button("overview/next", cb.counties(shown["page"] + 1)))
    return [*[named[i:i + 2] for i in range(0, len(named), 2)], *([nav] if nav else []),
            [button("rollup/heatmap", cb.heatmap())]]


def _nav(index: int, p: Any) -> list[Button]:
    row = []
    if p.page > 0:
        row.append(button("overview/prev", cb.county(index, p.filter, p.page - 1)))
    if p.page < p.pages - 1:
        row.append(button("overview/next", cb.county(index, p.filter, p.page + 1)))
    return row


def _county_rows(found: tuple) -> list[list[Button]]:
    index, p = found
    named = [button("overview/branch", cb.branch(index, f.branch.id, p.filter, p.page), name=f.branch.name,
                    level=f.level) for f in p.items]
    rows = [named[i:i + 2] for i in range(0, len(named), 2)]
    rows.append(_nav(index, p))
    toggle = button("overview/show_all", cb.county(index, Filter.ALL, 0)) if p.filter == Filter.ALERT else \
        button("overview/only_alerts", cb.county(index, Filter.ALERT, 0))
    rows.append([toggle, button("rollup/counties", cb.counties(0))])
    return rows


async def _county(r: Rollup, user_id: int, index: int, filter_: Filter, page: int) -> tuple:
    return index, await service.county_page(r, user_id, index, filter_.value, page), r.counties[index].title


async def _card(r: Rollup, user_id: int, index: int, branch_id: int, filter_: Filter, page: int) -> tuple:
    card = await service.branch_card(r, user_id, index, branch_id)
    return card, r.counties[index].title, cb.county(index, filter_, page)


async def _counties(r: Rollup, user_id: int, page: int) -> dict[str, Any]:
    return _counties_page(await service.counties(r, user_id), r.name, page)


async def _heatmap(r: Rollup, user_id: int) -> tuple[bytes, int]:
    return await service.heatmap(r, user_id), len(r.counties)


async def _show_heatmap(update: Update, context: Any, found: tuple[bytes, int]) -> None:
    png, count = found
    await context.bot.send_photo(update.effective_chat.id, png, caption=render("rollup/heatmap.j2", counties=count),
                                 parse_mode=ParseMode.HTML)


async def _export(r: Rollup, user_id: int, kind: str, year: int) -> tuple:
    label = dict(service.exporters()).get(kind, "")
    return await service.export(r, user_id, kind, year), label, year


async def _send_file(update: Update, context: Any, found: tuple) -> None:
    file, label, year = found
    await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(file.data), filename=file.filename),
                                    caption=render("rollup/export_sent.j2", label=label, year=year),
                                    parse_mode=ParseMode.HTML)


async def _publish(r: Rollup, user_id: int, number: int) -> tuple:
    title = (r.drafts.get(user_id, number) or ("",))[0]
    return await service.publish_task(r, user_id, r.name, number), title


async def _discard(r: Rollup, user_id: int, number: int) -> None:
    await service.discard_task(r, user_id, number)


PRESSES = (
    Press(cb.counties, _counties, then=edits("rollup/counties.j2", _counties_rows, lambda f: f),
          doc="Every county again, a page of them."),
    Press(cb.county, _county, then=edits("rollup/county.j2", lambda f: _county_rows(f[:2]),
                                         lambda f: {"p": f[1], "county": f[2]}), doc="A county's branches."),
    Press(cb.branch, _card, then=edits("rollup/card.j2", lambda f: [[button("overview/back", f[2])]],
                                       lambda f: {"c": f[0], "county": f[1]}), doc="A branch's card."),
    Press(cb.heatmap, _heatmap, then=_show_heatmap, doc="The county × month heat map."),
    Press(cb.export, _export, then=_send_file, doc="A register across the counties."),
    Press(cb.task_send, _publish, then=edits("rollup/task_issued.j2", None,
                                             lambda f: {"issued": f[0], "title": f[1]}), doc="发布 the task."),
    Press(cb.task_discard, _discard, then=edits("rollup/task_discarded.j2"), doc="放弃 the task."),
)


def _rollup(context: Any) -> Rollup:
    return context.bot_data.rollup


def _menu(officer: bool) -> list[BotCommand]:
    return [BotCommand(command, description) for command, description in menu.commands(officer)]


async def set_menus(bot: Any, r: Rollup) -> None:
    """At start: /start and /help in every private chat, and each officer's whole menu in their own chat."""
    await bot.set_my_commands(_menu(False), scope=BotCommandScopeAllPrivateChats())
    for officer in sorted(r.officers):
        await _officer_menu(bot, r, officer)


async def _officer_menu(bot: Any, r: Rollup, telegram_id: int) -> None:
    """An officer's menu in their chat, once a run; one Telegram refuses it for (they never opened the bot) gets it
    at their /start."""
    if telegram_id in r.menus:
        return
    try:
        await bot.set_my_commands(_menu(True), scope=BotCommandScopeChat(telegram_id))
    except TelegramError:
        log.warning("could not set the roll-up's command menu for officer %s", telegram_id, exc_info=True)
        return
    r.menus.add(telegram_id)


@guarded
async def start_command(update: Update, context: Any) -> None:
    """/start and /help: what the roll-up bot does (officers only), and the officer's menu if they lack it."""
    r = _rollup(context)
    r.require_officer(update.effective_user.id)
    await _officer_menu(context.bot, r, update.effective_user.id)
    await reply(update, context, "rollup/start.j2", name=r.name, counties=len(r.counties))


@guarded
async def overview_command(update: Update, context: Any) -> None:
    """/overview: every county, worst first."""
    r = _rollup(context)
    shown = _counties_page(await service.counties(r, update.effective_user.id), r.name, 0)
    await reply(update, context, "rollup/counties.j2", _counties_rows(shown), **shown)


@guarded
async def export_command(update: Update, context: Any) -> None:
    """/export [year]: a button per register, for this year or the year typed."""
    r = _rollup(context)
    r.require_officer(update.effective_user.id)
    typed = (context.args or [""])[0]
    year = service.export_year(r, typed)
    rows = [[button("rollup/export", cb.export(kind, year), label=label)] for kind, label in service.exporters()]
    await reply(update, context, "rollup/export.j2", rows, year=year)


@guarded
async def task_command(update: Update, context: Any) -> None:
    """/task: the task typed after the command, checked, previewed with 发布 and 放弃."""
    r = _rollup(context)
    parts = (update.message.text or "").split(maxsplit=1) if update.message else []
    text = parts[1] if len(parts) > 1 else ""
    title, body, day, branches, number = await service.draft_task(r, update.effective_user.id, text)
    rows = [[button("rollup/send", cb.task_send(number)), button("rollup/discard", cb.task_discard(number))]]
    await reply(update, context, "rollup/task_preview.j2", rows, title=title, body=body, day=day, name=r.name,
                counties=len(r.counties), branches=branches)


def handlers() -> list[BaseHandler]:
    private = filters.ChatType.PRIVATE
    return [CommandHandler(["start", "help"], start_command, filters=private),
            CommandHandler("overview", overview_command, filters=private),
            CommandHandler("export", export_command, filters=private),
            CommandHandler("task", task_command, filters=private),
            *presses(PRESSES),
            MessageHandler(private, start_command)]  # anything else: what this bot does (or the refusal)
