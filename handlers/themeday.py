"""/themeday: the secretary sees and changes the monthly rule, time, place and theme; /countytheme for the
upper committee's one theme for every branch."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import scheduling as scheduling_cb
from bot.callbacks import themeday as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import themeday
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


def _view_rows(shown: themeday.View) -> list[list[Button]]:
    hold = [[button("themeday/hold", scheduling_cb.within(shown.meeting.id))]] if shown.may_hold and shown.meeting else []
    return [[button("themeday/rule", cb.change("rule")), button("themeday/time", cb.change("time"))],
            [button("themeday/place", cb.change("place")), button("themeday/theme", cb.change("theme"))],
            [button("themeday/details", cb.change("details")), button("themeday/venue", cb.change("venue"))],
            *hold, [button("themeday/more", cb.more())]]


def _option_rows(settings) -> list[list[Button]]:
    rows = []
    for name, values in themeday.OPTIONS.items():
        current = getattr(settings, name)
        rows.append([button("themeday/option", cb.option(name, v), name=name, value=v, chosen=v == current)
                     for v in values])
    return rows


async def _show(update: Update, context: ZhibuContext, shown: themeday.View, changed: str | None = None) -> None:
    await reply(update, context, "themeday/view.j2", _view_rows(shown), settings=shown.settings, info=shown.info,
                county=shown.county, checkin=shown.checkin, changed=changed)


@guarded
async def themeday_command(update: Update, context: ZhibuContext) -> None:
    """/themeday: the rule and the coming theme day, with buttons to change them."""
    await _show(update, context, await themeday.view(context.svc, update.effective_user.id))


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


async def _change(svc, user_id: int, name: str) -> tuple:
    return name, await themeday.begin_edit(svc, user_id, name)


async def _ask(update: Update, context: ZhibuContext, asked: tuple) -> None:
    """Ask for the new value (the secretary's next message)."""
    name, shown = asked
    limit = {"theme": themeday.THEME_MAX, "details": themeday.DETAILS_MAX}.get(name, themeday.PLACE_MAX)
    rows = [[button("themeday/no_venue", cb.no_venue())]] if name == "venue" else None
    await reply(update, context, f"themeday/ask_{name}.j2", rows, settings=shown.settings, info=shown.info, max=limit)


PRESSES = (
    Press(cb.view, themeday.view, None, _show, "时间地点: the settings with their buttons."),
    Press(cb.change, _change, None, _ask, "改… buttons: ask for the new value (the secretary's next message)."),
    Press(cb.more, themeday.view, None,
          replies("themeday/options.j2", lambda v: _option_rows(v.settings), lambda v: {"settings": v.settings}),
          "更多设置: lead days, check-in window and the like, one button per choice."),
    Press(cb.option, themeday.set_option, "themeday_saved",
          edits("themeday/options.j2", lambda v: _option_rows(v.settings), lambda v: {"settings": v.settings}),
          "A choice among the options: saved, the options shown again in place."),
    Press(cb.no_venue, lambda svc, user_id: themeday.apply_edit(svc, user_id, "venue", themeday.NO_VENUE), None,
          lambda update, context, shown: _show(update, context, shown, changed="venue"),
          "不核验位置: check-in no longer asks for the location."),
)


FORMS = (Form("themeday", edit_step),)


def handlers() -> list:
    return [CommandHandler("themeday", themeday_command), CommandHandler("countytheme", county_theme_command),
            *presses(PRESSES)]
