"""/peereval: grade every other member with one tap each, see one's own progress, add a short comment."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.callbacks import peereval as cb
from bot.context import ZhibuContext
from bot.domain import evaluation as rules
from bot.domain.evaluation import GRADES, Grade
from bot.domain.models import Conversation, Member
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import peereval
from handlers.telegram.common import edit, guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies

PEOPLE_PAGE = 40  # names a page, two a row: well under Telegram's 100 buttons (a branch may have 120 members)


def pages(count: int) -> int:
    return max(1, -(-count // PEOPLE_PAGE))


def _page_of(sheet: peereval.PeerView, member_id: int) -> int:
    ids = [m.id for m in sheet.others]
    return ids.index(member_id) // PEOPLE_PAGE if member_id in ids else 0


def _list_rows(sheet: peereval.PeerView, page: int) -> list[list[Button]]:
    cid = sheet.campaign.id
    shown = sheet.others[page * PEOPLE_PAGE : (page + 1) * PEOPLE_PAGE]
    names = [button("evaluation/peer_person", cb.person(cid, m.id), name=m.name,
                    grade=sheet.mine[m.id][0].label if m.id in sheet.mine else None) for m in shown]
    rows = [names[i : i + 2] for i in range(0, len(names), 2)]
    nav = [button("evaluation/previous_page", cb.sheet_page(cid, page - 1))] if page > 0 else []
    if page + 1 < pages(len(sheet.others)):
        nav.append(button("evaluation/next_page", cb.sheet_page(cid, page + 1)))
    if sheet.accepting and sheet.next_ungraded() is not None:
        rows.insert(0, [button("evaluation/peer_next", cb.next_person(cid))])
    return rows + ([nav] if nav else [])


def _person_rows(sheet: peereval.PeerView, subject: Member) -> list[list[Button]]:
    cid, current = sheet.campaign.id, sheet.mine.get(subject.id, (None, None))[0]
    # 不合格 is never one slip of the thumb away: its button asks to confirm first.
    grades = [button("evaluation/grade", cb.confirm_unqualified(cid, subject.id) if g is Grade.UNQUALIFIED
                     else cb.grade(cid, subject.id, g), grade=g.label, chosen=g is current) for g in GRADES]
    rows = [grades[:2], grades[2:]] if sheet.accepting else []
    tail = [button("evaluation/back_to_list", cb.sheet_page(cid, _page_of(sheet, subject.id)))]
    if sheet.accepting and current is not None:
        tail.insert(0, button("evaluation/peer_comment", cb.comment(cid, subject.id)))
    return rows + [tail]


def _list_params(sheet: peereval.PeerView, page: int = 0) -> dict:
    return {"sheet": sheet, "deadline": rules.when(sheet.campaign.deadline, sheet.tz), "page": page,
            "pages": pages(len(sheet.others))}


async def _show_list(update: Update, context: ZhibuContext, sheet: peereval.PeerView, as_edit: bool,
                     page: int = 0) -> None:
    page = max(0, min(page, pages(len(sheet.others)) - 1))
    rows, params = _list_rows(sheet, page), _list_params(sheet, page)
    if as_edit:
        await edit(update, "evaluation/peer_list.j2", rows, **params)
    else:
        await reply(update, context, "evaluation/peer_list.j2", rows, **params)


async def _show_person(update: Update, sheet: peereval.PeerView, subject: Member) -> None:
    await edit(update, "evaluation/peer_person.j2", _person_rows(sheet, subject), **_list_params(sheet),
               subject=subject, current=sheet.mine.get(subject.id))


@guarded
async def start_peereval(update: Update, context: ZhibuContext) -> None:
    """/peereval: the caller's own grading sheet and progress."""
    await _show_list(update, context, await peereval.view(context.svc, update.effective_user.id), as_edit=False)


async def _show_next(update: Update, context: ZhibuContext, sheet: peereval.PeerView, after: int | None) -> None:
    upcoming = sheet.next_ungraded(after=after) if after is not None else sheet.next_ungraded()
    if upcoming is None:  # all graded: the page of names where they were
        await _show_list(update, context, sheet, as_edit=True, page=_page_of(sheet, after) if after else 0)
    else:
        await _show_person(update, sheet, upcoming)


async def _with_subject(svc, user_id: int, cid: int, subject_id: int) -> tuple:
    sheet = await peereval.view(svc, user_id, cid)
    return sheet, sheet.subject(subject_id)


async def _grade(svc, user_id: int, cid: int, subject_id: int, grade_value: str) -> tuple:
    sheet = await peereval.grade(svc, user_id, cid, subject_id, grade_value)
    return sheet, sheet.subject(subject_id)


def _graded(done: tuple) -> tuple[str, dict]:
    sheet, subject = done
    return "peer_graded", {"person": subject.name, "grade": sheet.mine[subject.id][0].label, "graded": sheet.graded,
                           "total": len(sheet.others)}


def _confirm_rows(found: tuple) -> list[list[Button]]:
    sheet, subject = found
    cid = sheet.campaign.id
    return [[button("evaluation/unqualified_confirm", cb.grade(cid, subject.id, Grade.UNQUALIFIED))],
            [button("evaluation/back", cb.person(cid, subject.id))]]


async def _page(svc, user_id: int, cid: int, page: int) -> tuple:
    return await peereval.view(svc, user_id, cid), page


PRESSES = (
    Press(cb.open_sheet, peereval.view, None,
          lambda update, context, sheet: _show_list(update, context, sheet, as_edit=False),
          "去互评 under a notice or reminder: the sheet as a new message (the notice stays as it was)."),
    Press(cb.sheet, peereval.view, None, lambda update, context, sheet: _show_list(update, context, sheet, as_edit=True),
          "« 返回名单: the sheet, in place."),
    Press(cb.sheet_page, _page, None,
          lambda update, context, found: _show_list(update, context, found[0], as_edit=True, page=found[1]),
          "上一页 / 下一页 (and « 返回名单 from a person): that page of names, in place."),
    Press(cb.next_person, peereval.view, None, lambda update, context, sheet: _show_next(update, context, sheet, None),
          "逐个评议: the first member not graded yet."),
    Press(cb.person, _with_subject, None, lambda update, context, found: _show_person(update, *found),
          "A name on the sheet: that member's grade buttons."),
    Press(cb.grade, _grade, _graded,
          lambda update, context, done: _show_next(update, context, done[0], after=done[1].id),
          "A grade: kept, then on to the next member not graded yet."),
    Press(cb.confirm_unqualified, _with_subject, None,
          edits("evaluation/peer_confirm_unqualified.j2", _confirm_rows, lambda found: {"subject": found[1]}),
          "不合格: asked to confirm, with 确认 and « 返回 (the grade is kept only after 确认)."),
    Press(cb.comment, peereval.begin_comment, None,
          replies("evaluation/peer_ask_comment.j2",
                  params=lambda subject: {"subject": subject, "max": peereval.COMMENT_MAX}),
          "写评语: ask for the comment."),
)


async def comment_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The short comment typed after 写评语."""
    text = update.message.text if update.message else None
    sheet = await peereval.save_comment(context.svc, update.effective_user.id, conversation.data, text)
    subject = sheet.subject(int(conversation.data["subject_id"]))
    await reply(update, context, "evaluation/peer_comment_saved.j2", subject=subject)
    await _show_list(update, context, sheet, as_edit=False)


FORMS = (Form("peer_comment", comment_step),)


def handlers() -> list:
    return [CommandHandler("peereval", start_peereval), *presses(PRESSES)]
