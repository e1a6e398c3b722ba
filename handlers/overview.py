"""/overview for officers: their branches worst first, 10 a page (◀ ▶), a branch card, the compliance heat map and
attendance charts as pictures, and a notice to the whole subtree with per-branch read counts. Secretaries get their
own branch's attendance chart with `/attendance 图表`."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CommandHandler, filters

from bot.callbacks import overview as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.render import render
from bot.services import officer_notices, overview
from handlers.telegram.common import (
    drop_buttons,
    edit,
    guarded,
    keyboard,
    on_press,
    pressed,
    reply,
    toast,
)

CHART_WORDS = ("图表", "图", "chart")


def _nav(action, page: int, pages: int, *before) -> list[Button]:
    row = []
    if page > 0:
        row.append(button("overview/prev", action(*before, page - 1)))
    if page < pages - 1:
        row.append(button("overview/next", action(*before, page + 1)))
    return row


def _page_rows(p: overview.OverviewPage) -> list[list[Button]]:
    named = [button("overview/branch", cb.branch(f.branch.id, p.filter, p.page), name=f.branch.name, level=f.level)
             for f in p.items]
    rows = [named[i : i + 2] for i in range(0, len(named), 2)]
    rows.append(_nav(cb.page, p.page, p.pages, p.filter))
    toggle = button("overview/show_all", cb.page("all", 0)) if p.filter == "alert" else \
        button("overview/only_alerts", cb.page("alert", 0))
    rows.append([toggle, button("overview/heatmap", cb.heatmap(0))])
    rows.append([button("overview/new_notice", cb.notice_new())])
    return rows


async def _send_png(update: Update, context: ZhibuContext, png: bytes, template: str,
                    rows: list[list[Button]] | None = None, **params) -> None:
    await context.bot.send_photo(update.effective_chat.id, png, caption=render(template, **params),
                                 parse_mode=ParseMode.HTML, reply_markup=keyboard(rows))


@guarded
async def overview_command(update: Update, context: ZhibuContext) -> None:
    """/overview: every branch of the officer's subtree, worst first."""
    page = await overview.overview(context.svc, update.effective_user.id)
    await reply(update, context, "overview/page.j2", _page_rows(page), p=page)


@guarded
async def page_pressed(update: Update, context: ZhibuContext) -> None:
    """◀ ▶, or the filter (all / alerts only): the page in place."""
    filter_, number = pressed(update, cb.page)
    page = await overview.overview(context.svc, update.effective_user.id, filter_, number)
    await update.callback_query.answer()
    await edit(update, "overview/page.j2", _page_rows(page), p=page)


@guarded
async def branch_pressed(update: Update, context: ZhibuContext) -> None:
    """A branch: its card (re-authorised: it must be in the officer's subtree)."""
    branch_id, filter_, number = pressed(update, cb.branch)
    card = await overview.branch_card(context.svc, update.effective_user.id, branch_id)
    await update.callback_query.answer()
    rows = [[button("overview/chart", cb.chart(branch_id)), button("overview/back", cb.page(filter_, number))]]
    await edit(update, "overview/card.j2", rows, c=card)


@guarded
async def chart_pressed(update: Update, context: ZhibuContext) -> None:
    """📈 a branch's attendance over 12 months, as a picture."""
    (branch_id,) = pressed(update, cb.chart)
    png, name = await overview.attendance_chart_for_officer(context.svc, update.effective_user.id, branch_id)
    await update.callback_query.answer()
    await _send_png(update, context, png, "overview/chart.j2", branch=name)


@guarded
async def heatmap_pressed(update: Update, context: ZhibuContext) -> None:
    """🗺 the branches × months grid, 40 branches an image, with ◀ ▶ under it."""
    (number,) = pressed(update, cb.heatmap)
    grid = await overview.heatmap(context.svc, update.effective_user.id, number)
    await update.callback_query.answer()
    await _send_png(update, context, grid.png, "overview/heatmap.j2", [_nav(cb.heatmap, grid.page, grid.pages)],
                    page=grid.page, pages=grid.pages, total=grid.total)


@guarded
async def attendance_chart_command(update: Update, context: ZhibuContext) -> None:
    """/attendance 图表: the committee's own branch over 12 months."""
    png, name = await overview.attendance_chart_for_member(context.svc, update.effective_user.id)
    await _send_png(update, context, png, "overview/chart.j2", branch=name)


# --- notices to the subtree ----------------------------------------------------------------------------------------

def _preview_rows(v: officer_notices.Preview) -> list[list[Button]]:
    notice_id = v.notice.id
    return [[button("overview/audience", cb.notice_audience(notice_id, key), key=key,
                    chosen=v.notice.audience == key) for key in v.audiences],
            [button("overview/send", cb.notice_send(notice_id)), button("overview/discard", cb.notice_discard(notice_id))]]


@guarded
async def notice_new_pressed(update: Update, context: ZhibuContext) -> None:
    """📢 发通知: ask for the text."""
    await officer_notices.begin(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await reply(update, context, "overview/ask_body.j2", max=officer_notices.BODY_MAX)


async def notice_body_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The notice's text: a draft, then its preview."""
    if conversation.step != "body":
        raise UserError("notices/use_buttons.j2")
    user = update.effective_user
    notice = await officer_notices.draft(context.svc, user.id, user.full_name,
                                         update.message.text if update.message else None, conversation.data)
    view = await officer_notices.preview(context.svc, user.id, notice.id)
    await reply(update, context, "overview/preview.j2", _preview_rows(view), v=view)


@guarded
async def notice_audience_pressed(update: Update, context: ZhibuContext) -> None:
    """各支部书记 / 全体党员."""
    notice_id, audience = pressed(update, cb.notice_audience)
    view = await officer_notices.preview(context.svc, update.effective_user.id, notice_id, audience)
    await update.callback_query.answer()
    await edit(update, "overview/preview.j2", _preview_rows(view), v=view)


@guarded
async def notice_send_pressed(update: Update, context: ZhibuContext) -> None:
    """📤 发送: to every branch of the subtree, with a button for the per-branch read counts."""
    (notice_id,) = pressed(update, cb.notice_send)
    sent = await officer_notices.send(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_sent", recipients=sent.recipients)
    await edit(update, "overview/sent.j2", [[button("overview/reads", cb.notice_reads(notice_id, 0))]],
               recipients=sent.recipients, branches=sent.branches)


@guarded
async def notice_discard_pressed(update: Update, context: ZhibuContext) -> None:
    """🗑 放弃."""
    (notice_id,) = pressed(update, cb.notice_discard)
    await officer_notices.discard(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_discarded")
    await edit(update, "notices/discarded.j2")


@guarded
async def notice_read_pressed(update: Update, context: ZhibuContext) -> None:
    """已读 on an officer's notice."""
    (notice_id,) = pressed(update, cb.notice_read)
    newly = await officer_notices.mark_read(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_read", newly=newly)
    await drop_buttons(update)


async def _show_reads(update: Update, context: ZhibuContext, notice_id: int, number: int, answer: bool) -> None:
    reads = await officer_notices.reads(context.svc, update.effective_user.id, notice_id, number)
    if answer:
        await update.callback_query.answer()
    rows = [_nav(cb.notice_reads, reads.page, reads.pages, notice_id),
            [button("overview/refresh", cb.notice_reads(notice_id, reads.page))]]
    if unread := reads.recipients - reads.read:
        rows[-1].append(button("overview/nudge", cb.notice_nudge(notice_id, reads.page), unread=unread))
    await edit(update, "overview/reads.j2", rows, r=reads)


@guarded
async def notice_reads_pressed(update: Update, context: ZhibuContext) -> None:
    """Read counts per branch, lowest rate first, paged."""
    notice_id, number = pressed(update, cb.notice_reads)
    await _show_reads(update, context, notice_id, number, answer=True)


@guarded
async def notice_nudge_pressed(update: Update, context: ZhibuContext) -> None:
    """催读: a reminder to every recipient who has not read it yet; the counts again."""
    notice_id, number = pressed(update, cb.notice_nudge)
    queued = await officer_notices.nudge_unread(context.svc, update.effective_user.id, notice_id)
    await toast(update, "notice_nudged", count=queued)
    await _show_reads(update, context, notice_id, number, answer=False)


FORMS = (Form(officer_notices.FORM, notice_body_step),)

# `/attendance 图表` is this feature's; a plain /attendance stays the meetings feature's (registered after this one).
_CHART_ARGS = filters.Regex(r"^/attendance(@\w+)?\s+(" + "|".join(CHART_WORDS) + r")\s*$")


def handlers() -> list:
    return [CommandHandler("overview", overview_command),
            CommandHandler("attendance", attendance_chart_command, filters=_CHART_ARGS),
            on_press(cb.page, page_pressed), on_press(cb.branch, branch_pressed), on_press(cb.chart, chart_pressed),
            on_press(cb.heatmap, heatmap_pressed), on_press(cb.notice_new, notice_new_pressed),
            on_press(cb.notice_audience, notice_audience_pressed), on_press(cb.notice_send, notice_send_pressed),
            on_press(cb.notice_discard, notice_discard_pressed), on_press(cb.notice_read, notice_read_pressed),
            on_press(cb.notice_reads, notice_reads_pressed), on_press(cb.notice_nudge, notice_nudge_pressed)]
