"""/themeday: the secretary sees and changes the monthly rule, time, place and theme; /countytheme for the
upper committee's one theme for every branch."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import themeday
from handlers.telegram.common import callback_parts, edit, guarded, reply, toast
from handlers.forms import register_form

ROWS = [[Button(label="📅 改日期规则", data="td:set:rule"), Button(label="🕘 改时间", data="td:set:time")],
        [Button(label="📍 改地点", data="td:set:place"), Button(label="✏️ 设置主题", data="td:set:theme")],
        [Button(label="📝 活动安排", data="td:set:details"), Button(label="📌 签到位置核验", data="td:set:venue")],
        [Button(label="⚙️ 更多设置", data="td:more")]]
NO_VENUE_ROW = [[Button(label="🚫 不核验位置", data="td:novenue")]]


def _option_rows(settings) -> list[list[Button]]:
    rows = []
    for name, (label, values) in themeday.OPTIONS.items():
        current = getattr(settings, name)
        rows.append([Button(label=f"{'✅ ' if v == current else ''}{label.split('（')[0]} {v}", data=f"td:opt:{name}:{v}")
                     for v in values])
    return rows


async def _show(update: Update, context: ZhibuContext, shown: themeday.View, changed: str | None = None) -> None:
    await reply(update, context, "themeday/view.j2", ROWS, settings=shown.settings, info=shown.info,
                county=shown.county, changed=changed)


@guarded
async def themeday_command(update: Update, context: ZhibuContext) -> None:
    """/themeday: the rule and the coming theme day, with buttons to change them."""
    await _show(update, context, await themeday.view(context.svc, update.effective_user.id))


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """修改 buttons: ask for the new value (the secretary's next message)."""
    parts = callback_parts(update, "td")
    query = update.callback_query
    if parts == ["view"]:
        await query.answer()
        await _show(update, context, await themeday.view(context.svc, update.effective_user.id))
    elif len(parts) == 2 and parts[0] == "set":
        shown = await themeday.begin_edit(context.svc, update.effective_user.id, parts[1])
        await query.answer()
        limit = {"theme": themeday.THEME_MAX, "details": themeday.DETAILS_MAX}.get(parts[1], themeday.PLACE_MAX)
        await reply(update, context, f"themeday/ask_{parts[1]}.j2", NO_VENUE_ROW if parts[1] == "venue" else None,
                    settings=shown.settings, info=shown.info, max=limit)
    elif parts == ["more"]:
        shown = await themeday.view(context.svc, update.effective_user.id)
        await query.answer()
        await reply(update, context, "themeday/options.j2", _option_rows(shown.settings), settings=shown.settings)
    elif len(parts) == 3 and parts[0] == "opt" and parts[2].isdigit():
        shown = await themeday.set_option(context.svc, update.effective_user.id, parts[1], int(parts[2]))
        await toast(update, "themeday_saved")
        await edit(update, "themeday/options.j2", _option_rows(shown.settings), settings=shown.settings)
    elif parts == ["novenue"]:
        shown = await themeday.apply_edit(context.svc, update.effective_user.id, "venue", themeday.NO_VENUE)
        await query.answer()
        await _show(update, context, shown, changed="venue")
    else:
        raise UserError("common/stale.j2")


async def edit_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The new rule, time, place or theme as typed."""
    message = update.message
    location = (message.location.latitude, message.location.longitude) if message and message.location else None
    shown = await themeday.apply_edit(context.svc, update.effective_user.id, conversation.step,
                                      message.text if message else None, location)
    await _show(update, context, shown, changed=conversation.step)


@guarded
async def county_theme_command(update: Update, context: ZhibuContext) -> None:
    """/countytheme 2026-12 主题: one theme for every branch's theme day that month (admins only)."""
    if update.effective_user.id not in context.svc.settings.admins:
        raise UserError("common/not_allowed.j2")
    if len(context.args) < 2:
        raise UserError("themeday/county_usage.j2")
    period, inheriting = await themeday.set_county_theme(context.svc, update.effective_user.id, context.args[0],
                                                         " ".join(context.args[1:]))
    await reply(update, context, "themeday/county_set.j2", period=period, theme=" ".join(context.args[1:]).strip(),
                inheriting=inheriting)


register_form("themeday", edit_step)


def handlers() -> list:
    return [CommandHandler("themeday", themeday_command), CommandHandler("countytheme", county_theme_command),
            CallbackQueryHandler(on_button, pattern=r"^td:")]
