"""一事一评星 in chat: /star for the secretary (member → evidence → the deed typed), /stars for a member's own deeds.
Every press is re-checked by the use case (an approver of the member's branch, never for themselves)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.callbacks import stars as cb
from bot.context import ZhibuContext
from bot.domain.community import hours
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import stars
from bot.services.stars import Evidence
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, presses, replies

MEMBERS_MAX = 90  # buttons a keyboard may carry (Telegram: ≤ 100)


@guarded
async def choose_member(update: Update, context: ZhibuContext) -> None:
    """/star: the members a star may go to, as buttons (no counts beside them: nobody is ranked)."""
    people = await stars.awardees(context.svc, update.effective_user.id)
    rows = [[button("stars/member", cb.member(m.id), name=m.name)] for m in people[:MEMBERS_MAX]]
    await reply(update, context, "stars/choose_member.j2" if rows else "stars/nobody.j2", rows)


@guarded
async def show_mine(update: Update, context: ZhibuContext) -> None:
    """/stars: the member's own deeds and their evidence."""
    await reply(update, context, "stars/mine.j2", stars=await stars.mine(context.svc, update.effective_user.id))


async def deed_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The deed (and, when written, its evidence): the star is kept."""
    done = await stars.award(context.svc, update.effective_user.id, conversation.data,
                             update.message.text if update.message else None)
    await reply(update, context, "stars/awarded.j2", name=done.member.name, deed=done.deed, note=done.note)


def _evidence_rows(found: Evidence) -> list[list[Button]]:
    member = found.member.id
    return [[button("stars/wall_order", cb.wall_order(member, order), order=order)] for order in found.orders[:20]] \
        + [[button("stars/service", cb.service(member, s.id), day=s.served_on, hours=hours(s.minutes))]
           for s in found.services[:20]] \
        + [[button("stars/written", cb.written(member))]]


def _names(found: Evidence) -> dict:
    return {"name": found.member.name, "orders": found.orders, "services": len(found.services)}


PRESSES = (
    Press(cb.member, stars.evidence_for, None, replies("stars/choose_evidence.j2", _evidence_rows, _names),
          "A member chosen: the evidence a star could rest on."),
    Press(cb.wall_order, stars.begin, None, replies("stars/ask_deed.j2", params=_names),
          "An order rated 满意 chosen: the deed is asked for."),
    Press(cb.service, stars.begin_service, None, replies("stars/ask_deed.j2", params=_names),
          "Confirmed community service chosen: the deed is asked for."),
    Press(cb.written, stars.begin, None, replies("stars/ask_deed.j2", params=_names),
          "Other deed: the deed and its evidence are asked for, on two lines."),
)

FORMS = (Form(stars.FORM, deed_step),)


def handlers() -> list:
    private = filters.ChatType.PRIVATE
    return [CommandHandler("star", choose_member, private), CommandHandler("stars", show_mine, private),
            *presses(PRESSES)]
