"""/peereval: grade every other member with one tap each, see one's own progress, add a short comment."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import ZhibuContext
from bot.domain import evaluation as rules
from bot.domain.evaluation import GRADES
from bot.domain.models import Conversation, Member
from bot.errors import UserError
from bot.outgoing import Button
from bot.services import peereval
from handlers.telegram.common import callback_parts, edit, guarded, int_or_stale, reply, toast
from handlers.forms import register_form


def _list_rows(sheet: peereval.PeerView) -> list[list[Button]]:
    cid = sheet.campaign.id
    names = [Button(label=f"{m.name} · {sheet.mine[m.id][0].label if m.id in sheet.mine else '未评'}",
                    data=f"pe:p:{cid}:{m.id}") for m in sheet.others]
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    if sheet.accepting and sheet.next_ungraded() is not None:
        rows.insert(0, [Button(label="▶️ 逐个评议", data=f"pe:n:{cid}")])
    return rows


def _person_rows(sheet: peereval.PeerView, subject: Member) -> list[list[Button]]:
    cid, current = sheet.campaign.id, sheet.mine.get(subject.id, (None, None))[0]
    grades = [Button(label=("✅ " if g is current else "") + g.label, data=f"pe:g:{cid}:{subject.id}:{g.value}")
              for g in GRADES]
    rows = [grades[:2], grades[2:]] if sheet.accepting else []
    tail = [Button(label="« 返回名单", data=f"pe:l:{cid}")]
    if sheet.accepting and current is not None:
        tail.insert(0, Button(label="💬 写评语", data=f"pe:c:{cid}:{subject.id}"))
    return rows + [tail]


def _list_params(sheet: peereval.PeerView) -> dict:
    return {"sheet": sheet, "deadline": rules.when(sheet.campaign.deadline, sheet.tz)}


async def _show_list(update: Update, context: ZhibuContext, sheet: peereval.PeerView, as_edit: bool) -> None:
    if as_edit:
        await edit(update, "evaluation/peer_list.j2", _list_rows(sheet), **_list_params(sheet))
    else:
        await reply(update, context, "evaluation/peer_list.j2", _list_rows(sheet), **_list_params(sheet))


async def _show_person(update: Update, sheet: peereval.PeerView, subject: Member) -> None:
    await edit(update, "evaluation/peer_person.j2", _person_rows(sheet, subject), **_list_params(sheet),
               subject=subject, current=sheet.mine.get(subject.id))


@guarded
async def start_peereval(update: Update, context: ZhibuContext) -> None:
    """/peereval: the caller's own grading sheet and progress."""
    await _show_list(update, context, await peereval.view(context.svc, update.effective_user.id), as_edit=False)


@guarded
async def on_button(update: Update, context: ZhibuContext) -> None:
    """Open a person, grade them (then the next one), comment, back to the list — each re-authorised."""
    if update.effective_chat.type != "private":
        raise UserError("common/stale.j2")
    parts = callback_parts(update, "pe")
    if len(parts) < 2:
        raise UserError("common/stale.j2")
    svc, user_id, query = context.svc, update.effective_user.id, update.callback_query
    action, cid = parts[0], int_or_stale(parts[1])
    if action in ("l", "o"):  # o: from a notice or reminder, which stays as it was
        sheet = await peereval.view(svc, user_id, cid)
        await query.answer()
        await _show_list(update, context, sheet, as_edit=action == "l")
    elif action == "n":
        sheet = await peereval.view(svc, user_id, cid)
        await query.answer()
        upcoming = sheet.next_ungraded()
        if upcoming is None:
            await _show_list(update, context, sheet, as_edit=True)
        else:
            await _show_person(update, sheet, upcoming)
    elif action == "p" and len(parts) == 3:
        sheet = await peereval.view(svc, user_id, cid)
        subject = sheet.subject(int_or_stale(parts[2]))
        await query.answer()
        await _show_person(update, sheet, subject)
    elif action == "g" and len(parts) == 4:
        subject_id = int_or_stale(parts[2])
        sheet = await peereval.grade(svc, user_id, cid, subject_id, parts[3])
        subject = sheet.subject(subject_id)
        await toast(update, "peer_graded", person=subject.name, grade=sheet.mine[subject_id][0].label,
                    graded=sheet.graded, total=len(sheet.others))
        upcoming = sheet.next_ungraded(after=subject_id)
        if upcoming is None:
            await _show_list(update, context, sheet, as_edit=True)
        else:
            await _show_person(update, sheet, upcoming)
    elif action == "c" and len(parts) == 3:
        subject = await peereval.begin_comment(svc, user_id, cid, int_or_stale(parts[2]))
        await query.answer()
        await reply(update, context, "evaluation/peer_ask_comment.j2", subject=subject, max=peereval.COMMENT_MAX)
    else:
        raise UserError("common/stale.j2")


async def comment_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The short comment typed after 写评语."""
    text = update.message.text if update.message else None
    sheet = await peereval.save_comment(context.svc, update.effective_user.id, conversation.data, text)
    subject = sheet.subject(int(conversation.data["subject_id"]))
    await reply(update, context, "evaluation/peer_comment_saved.j2", subject=subject)
    await _show_list(update, context, sheet, as_edit=False)


register_form("peer_comment", comment_step)


def handlers() -> list:
    return [CommandHandler("peereval", start_peereval), CallbackQueryHandler(on_button, pattern=r"^pe:")]
