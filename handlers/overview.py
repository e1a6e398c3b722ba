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
from handlers.telegram.common import drop_buttons, guarded, keyboard, reply
from handlers.telegram.presses import Press, edits, presses, replies

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
    if not p.read_only:
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


async def _card(svc, user_id: int, branch_id: int, filter_: str, number: int) -> tuple:
    """The branch's card, and the page to go back to."""
    return await overview.branch_card(svc, user_id, branch_id), branch_id, filter_, number


def _card_rows(found: tuple) -> list[list[Button]]:
    _, branch_id, filter_, number = found
    return [[button("overview/chart", cb.chart(branch_id)), button("overview/back", cb.page(filter_, number))]]


async def _chart(update: Update, context: ZhibuContext, found: tuple) -> None:
    png, name = found
    await _send_png(update, context, png, "overview/chart.j2", branch=name)


async def _heatmap(update: Update, context: ZhibuContext, grid: overview.Heatmap) -> None:
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


async def notice_body_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The notice's text: a draft, then its preview."""
    if conversation.step != "body":
        raise UserError("notices/use_buttons.j2")
    user = update.effective_user
    notice = await officer_notices.draft(context.svc, user.id, user.full_name,
                                         update.message.text if update.message else None, conversation.data)
    view = await officer_notices.preview(context.svc, user.id, notice.id)
    await reply(update, context, "overview/preview.j2", _preview_rows(view), v=view)


def _reads_rows(reads: officer_notices.Reads) -> list[list[Button]]:
    notice_id = reads.notice.id
    rows = [_nav(cb.notice_reads, reads.page, reads.pages, notice_id),
            [button("overview/refresh", cb.notice_reads(notice_id, reads.page))]]
    if unread := reads.recipients - reads.read:
        rows[-1].append(button("overview/nudge", cb.notice_nudge(notice_id, reads.page), unread=unread))
    return rows


async def _nudge(svc, user_id: int, notice_id: int, number: int) -> tuple[int, officer_notices.Reads]:
    """催读, and the counts as they are now."""
    return (await officer_notices.nudge_unread(svc, user_id, notice_id),
            await officer_notices.reads(svc, user_id, notice_id, number))


async def _send(svc, user_id: int, notice_id: int) -> tuple[int, officer_notices.Sent]:
    return notice_id, await officer_notices.send(svc, user_id, notice_id)


PRESSES = (
    Press(cb.page, overview.overview, None, edits("overview/page.j2", _page_rows, lambda page: {"p": page}),
          "◀ ▶, or the filter (all / alerts only): the page in place."),
    Press(cb.branch, _card, None, edits("overview/card.j2", _card_rows, lambda found: {"c": found[0]}),
          "A branch: its card (re-authorised: it must be in the officer's subtree)."),
    Press(cb.chart, overview.attendance_chart_for_officer, None, _chart,
          "📈 a branch's attendance over 12 months, as a picture."),
    Press(cb.heatmap, overview.heatmap, None, _heatmap,
          "🗺 the branches × months grid, 40 branches an image, with ◀ ▶ under it."),
    Press(cb.notice_new, officer_notices.begin, None,
          replies("overview/ask_body.j2", params=lambda _: {"max": officer_notices.BODY_MAX}),
          "📢 发通知: ask for the text."),
    Press(cb.notice_audience, officer_notices.preview, None,
          edits("overview/preview.j2", _preview_rows, lambda view: {"v": view}), "各支部书记 / 全体党员."),
    Press(cb.notice_send, _send, lambda done: ("notice_sent", {"recipients": done[1].recipients}),
          edits("overview/sent.j2", lambda done: [[button("overview/reads", cb.notice_reads(done[0], 0))]],
                lambda done: {"recipients": done[1].recipients, "branches": done[1].branches}),
          "📤 发送: to every branch of the subtree, with a button for the per-branch read counts."),
    Press(cb.notice_discard, officer_notices.discard, "notice_discarded", edits("notices/discarded.j2"), "🗑 放弃."),
    Press(cb.notice_read, officer_notices.mark_read, lambda newly: ("notice_read", {"newly": newly}),
          lambda update, context, _: drop_buttons(update), "已读 on an officer's notice."),
    Press(cb.notice_reads, officer_notices.reads, None, edits("overview/reads.j2", _reads_rows, lambda r: {"r": r}),
          "Read counts per branch, lowest rate first, paged."),
    Press(cb.notice_nudge, _nudge, lambda done: ("notice_nudged", {"count": done[0]}),
          edits("overview/reads.j2", lambda done: _reads_rows(done[1]), lambda done: {"r": done[1]}),
          "催读: a reminder to every recipient who has not read it yet; the counts again."),
)


FORMS = (Form(officer_notices.FORM, notice_body_step),)

# `/attendance 图表` is this feature's; a plain /attendance stays the meetings feature's (registered after this one).
_CHART_ARGS = filters.Regex(r"^/attendance(@\w+)?\s+(" + "|".join(CHART_WORDS) + r")\s*$")


def handlers() -> list:
    return [CommandHandler("overview", overview_command),
            CommandHandler("attendance", attendance_chart_command, filters=_CHART_ARGS), *presses(PRESSES)]
