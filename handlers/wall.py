"""The 民心墙 in chat: a resident opens the wall's link and writes their need (text, photos, 📍, a phone number),
提交 / 放弃; /wall gives a dispatcher the link and the orders waiting, a resident their own orders, and the
branch's group the public board; 派单 → a member → 接单 → 报告 (a draft, accepted by the dispatcher) → the
resident's 满意 / 基本满意 / 不满意 (and why). Every press is re-authorised by the use case."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import CommandHandler, filters

from bot.callbacks import wall as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.errors import UserError
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import wall, wall_board, wall_orders, wall_poster
from bot.services.wall import Choices
from bot.services.wall_orders import Composing
from bot.services.wall_poster import PosterFiles
from handlers import drafting
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies

LINK_PREFIX = "wall_"


def _compose_rows(shown: Composing) -> list[list[Button]]:
    return [[button("wall/submit", cb.submit(shown.order.id)), button("wall/discard", cb.discard(shown.order.id))],
            [button("wall/board", cb.board(shown.order.id))]]


async def opened_link(update: Update, context: ZhibuContext, code: str) -> bool:
    """A wall's link (False for any other code): the resident is asked what they need (a draft order kept)."""
    if not code.startswith(LINK_PREFIX):
        return False
    shown = await wall_orders.open_wall(context.svc, update.effective_user.id, code.removeprefix(LINK_PREFIX))
    await reply(update, context, "wall/ask.j2", _compose_rows(shown), **shown.params())
    return True


async def order_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """A message while writing the order: kept, and what the order holds so far."""
    message = update.message
    photo = message.photo[-1].file_id if message.photo else None
    location = (message.location.latitude, message.location.longitude) if message.location else None
    shown = await wall_orders.add(context.svc, update.effective_user.id, conversation.data,
                                  message.text or message.caption, photo, location, other=message.document is not None)
    await reply(update, context, "wall/kept.j2", _compose_rows(shown), **shown.params())


async def reason_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """Why the resident was not satisfied: passed on to the dispatchers."""
    order = await wall_orders.reason(context.svc, update.effective_user.id, conversation.data,
                                     update.message.text if update.message else None)
    await reply(update, context, "wall/reason_thanks.j2", number=order.id)


@guarded
async def show_board(update: Update, context: ZhibuContext) -> None:
    """/wall in the branch's group: the public board (numbers, statuses, members, ratings; nothing of residents)."""
    if shown := await wall_board.board(context.svc, update.effective_chat.id):
        await reply(update, context, "wall/board.j2", branch=shown[0], orders=shown[1])


@guarded
async def show_wall(update: Update, context: ZhibuContext) -> None:
    """/wall in private: a dispatcher's link and the orders waiting, or the resident's own orders."""
    svc = context.svc
    try:
        name, link, waiting = await wall.wall_of(svc, update.effective_user.id)
    except UserError:
        await _not_dispatcher(update, context)
        return
    rows = [[button("wall/poster", cb.poster())]] + [[button("wall/dispatch_number", cb.dispatch(o.id), number=o.id)]
                                                     for o in waiting[:20]]
    await reply(update, context, "wall/dispatcher.j2", rows, branch=name, link=link, waiting=len(waiting))


async def _send_poster(update: Update, context: ZhibuContext, made: PosterFiles) -> None:
    """The poster's PNG and PDF, as files (a photo would be recompressed and lose the QR code's edges)."""
    for file in made.files:
        await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(file.data), filename=file.filename))
    await reply(update, context, "wall/poster_sent.j2", branch=made.branch)


async def _not_dispatcher(update: Update, context: ZhibuContext) -> None:
    """/wall for anyone else: a member's orders to take or report on, else their own orders as a resident."""
    work = await wall.my_work(context.svc, update.effective_user.id)
    if work:
        rows = [[button("wall/take_number", cb.take(o.id, o.round), number=o.id) if o.status.value == "dispatched"
                 else button("wall/report_number", cb.report(o.id, o.round), number=o.id)] for o in work[:20]]
        await reply(update, context, "wall/my_work.j2", rows, count=len(work))
        return
    await reply(update, context, "wall/mine.j2", orders=await wall_orders.mine(context.svc, update.effective_user.id))


def _member_rows(chosen: Choices) -> list[list[Button]]:
    order = chosen.order
    return [[button("wall/member", cb.assign(order.id, order.round, m.id), name=m.name,
                    posts=chosen.posts.get(m.id, []), outside=m.branch_id != order.branch_id)]
            for m in chosen.people]


PRESSES = (
    Press(cb.submit, wall_orders.submit, None,
          edits("wall/receipt.j2", lambda o: [[button("wall/board", cb.board(o.id))]], lambda o: {"number": o.id}),
          "提交: the order is handed in; the message becomes its receipt."),
    Press(cb.discard, wall_orders.discard, None, edits("wall/discarded.j2"), "放弃: the order being written is gone."),
    Press(cb.dispatch, wall.choices, None,
          replies("wall/choose.j2", _member_rows, lambda c: {"number": c.order.id, "count": len(c.people)}),
          "派单: the members to choose from."),
    Press(cb.assign, wall.assign, None,
          edits("wall/dispatched.j2", params=lambda a: {"number": a.order.id, "member": a.member.name}),
          "A member chosen: the order is theirs; the list becomes what was done."),
    Press(cb.take, wall.take, None,
          replies("wall/taken.j2", lambda o: [[button("wall/report", cb.report(o.id, o.round))]],
                  lambda o: {"number": o.id}),
          "接单: the member has it, with the button to report."),
    Press(cb.report, wall.start_report, None, drafting.show, "报告办理情况: the report's draft opens."),
    Press(cb.poster, wall_poster.poster, None, _send_poster, "海报: the wall's poster, PNG and PDF."),
    Press(cb.board, wall_board.board_for_resident, None,
          replies("wall/board.j2", params=lambda shown: {"branch": shown[0], "orders": shown[1]}),
          "看看墙上的点单: the wall's public board for a resident, nothing of any resident."),
    Press(cb.rate, wall_orders.rate, None,
          edits("wall/rated.j2", params=lambda o: {"number": o.id, "rating": o.rating.value if o.rating else None}),
          "The resident's rating: 不满意 asks them why."),
)

FORMS = (Form(wall_orders.FORM, order_step), Form(wall_orders.REASON_FORM, reason_step),
         drafting.form(wall.DRAFT, "/wall"))


def handlers() -> list:
    return [CommandHandler("wall", show_wall, filters.ChatType.PRIVATE), *presses(PRESSES)]
