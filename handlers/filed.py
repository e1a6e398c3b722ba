"""/filed: review of what the branches filed (备案审阅) — the list of records waiting, a record's card with 已审阅 and
退回 (the reason typed next), and its file again. The filing digest's numbered buttons open the same cards."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.callbacks import filed as cb
from bot.context import ZhibuContext
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import filing_review
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


def _list_rows(listing: filing_review.Listing) -> list[list[Button]]:
    named = [button("filing/review_listed", cb.card(s.filing.id), number=i, branch=s.branch)
             for i, s in enumerate(listing.items, start=1)]
    return [named[i : i + 2] for i in range(0, len(named), 2)]


def _card_rows(shown: filing_review.Shown) -> list[list[Button]]:
    fid = shown.filing.id
    rows = [[button("filing/reviewed", cb.reviewed(fid)), button("filing/return_record", cb.send_back(fid))]] \
        if shown.may_decide else []
    return rows + [[button("filing/record_file", cb.file(fid)), button("filing/back_to_list", cb.listing(0))]]


@guarded
async def filed_command(update: Update, context: ZhibuContext) -> None:
    """/filed: the records of the officer's subtree waiting for review, oldest first."""
    listing = await filing_review.listing(context.svc, update.effective_user.id)
    await reply(update, context, "filing/review_list.j2", _list_rows(listing), listing=listing)


async def _listing(svc, user_id: int, _page: int) -> filing_review.Listing:
    return await filing_review.listing(svc, user_id)


_CARD_PARAMS = {"rows": _card_rows, "params": lambda shown: {"r": shown.params()}}


async def _send_file(update: Update, context: ZhibuContext, named: tuple[str, bytes]) -> None:
    name, data = named
    await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(data), filename=name))


PRESSES = (
    Press(cb.listing, _listing, None,
          replies("filing/review_list.j2", _list_rows, lambda listing: {"listing": listing}),
          "📋 全部待审阅 (in the digest, a reminder or a card): the list."),
    Press(cb.card, filing_review.card, None, replies("filing/review_card.j2", **_CARD_PARAMS),
          "A record: its card, with 已审阅 / 退回 while it waits (re-checked: the officer's subtree, not their branch)."),
    Press(cb.reviewed, filing_review.mark_reviewed, None, edits("filing/review_card.j2", **_CARD_PARAMS),
          "已审阅: recorded at once under the officer's name."),
    Press(cb.send_back, filing_review.begin_return, None,
          replies("filing/ask_return_reason.j2",
                  params=lambda shown: {"r": shown.params(), "max": filing_review.COMMENT_MAX}),
          "退回: ask for the reason first."),
    Press(cb.file, filing_review.file_of, None, _send_file, "📄 文件: the record's file (DOCX or XLSX) again."),
)


async def reason_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The reason for 退回: the record goes back to the branch with it."""
    text = update.message.text if update.message else None
    shown = await filing_review.return_typed(context.svc, update.effective_user.id, conversation.data, text)
    await reply(update, context, "filing/returned_done.j2", r=shown.params())
    await reply(update, context, "filing/review_card.j2", _card_rows(shown), r=shown.params())


FORMS = (Form(filing_review.RETURN_FORM, reason_step),)


def handlers() -> list:
    return [CommandHandler("filed", filed_command), *presses(PRESSES)]
