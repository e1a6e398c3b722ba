"""学习测试 in chat: /quiz (one's own tests; for a secretary or officer the completion and average, with 上传题库 and
开始本季度测试), the bank's file and its preview (确认 / 放弃), the test's N and last day typed, a member's own
answers with explanations, and the poll answers that drive the test."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, PollAnswerHandler

from bot import uploads
from bot.callbacks import quiz as cb
from bot.context import ZhibuContext
from bot.domain import dates
from bot.domain.models import Conversation
from bot.domain.quiz import LETTERS
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import quiz, quiz_bank
from handlers.telegram.common import edit, guarded, on_press, reply
from handlers.telegram.presses import Press, presses, replies


def _quarter(code: str) -> str:
    return dates.quarter(int(code[:4]), int(code[-1]))


def _overview_rows(view: quiz.Overview) -> list[list[Button]]:
    rows = [[button("quiz/mine_of", cb.mine(m.quiz.id), quarter=_quarter(m.quiz.quarter))] for m in view.mine]
    if view.owner is not None:
        rows.append([button("quiz/upload", cb.upload()), button("quiz/start", cb.start())])
    return rows


def _overview_params(view: quiz.Overview) -> dict:
    mine = [{"quarter": _quarter(m.quiz.quarter), "answered": m.answered, "right": m.right, "total": m.asked,
             "open": not m.closed, "deadline": dates.full_day(m.quiz.deadline.date())} for m in view.mine]
    lines = [{"branch": line.branch.name, "quarter": _quarter(line.quiz.quarter), **vars(line.completion),
              "average": line.completion.average_pct} for line in view.lines]
    return {"member": view.member is not None, "mine": mine, "owner": view.owner.name if view.owner else None,
            "lines": lines}


@guarded
async def quiz_command(update: Update, context: ZhibuContext) -> None:
    """/quiz: one's own tests; a secretary's or officer's completion and average, and the bank and start buttons."""
    view = await quiz.overview(context.svc, update.effective_user.id)
    await reply(update, context, "quiz/overview.j2", _overview_rows(view), **_overview_params(view))


def _mine_params(found: quiz.Mine) -> dict:
    items = [{"seq": i.seq, "question": i.question.question, "right": i.chosen == i.question.correct,
              "chosen": LETTERS[i.chosen] if i.chosen is not None else None, "correct": LETTERS[i.question.correct],
              "option": i.question.options[i.question.correct], "explanation": i.question.explanation}
             for i in found.items]
    return {"quarter": _quarter(found.quiz.quarter), "items": items, "answered": found.answered,
            "right": found.right, "total": found.asked, "hidden": not found.closed and found.answered < found.asked}


async def _content(context: ZhibuContext, file_id: str) -> bytes:
    file = await context.bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


async def bank_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The bank's file: previewed (nothing stored); while a preview waits, anything else is asked to use its buttons."""
    document = update.message.document if update.message else None
    if document is None:
        await reply(update, context, "quiz/use_buttons.j2" if conversation.step == "confirm" else "quiz/need_file.j2")
        return
    uploads.check_size(document.file_size)
    await quiz_bank.owner(context.svc, update.effective_user.id)  # one who may no longer upload: refused, no download
    found = await quiz_bank.preview(context.svc, update.effective_user.id, document.file_id,
                                    document.file_name or "", await _content(context, document.file_id))
    rows = [[button("quiz/confirm", cb.confirm()), button("quiz/discard", cb.discard())]] if found.good else None
    await reply(update, context, "quiz/preview.j2", rows, owner=found.owner.name, good=found.good, bad=found.bad,
                shown_bad=found.shown_bad)


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """确认导入题库: the previewed file is read again and its good questions stored."""
    svc, user = context.svc, update.effective_user
    held = await quiz_bank.held(svc, user.id)
    await update.callback_query.answer()
    found = await quiz_bank.confirm(svc, user.id, await _content(context, held["file_id"]))
    await edit(update, "quiz/stored.j2", owner=found.owner.name, good=found.good, bad=found.bad)


async def start_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The test's N and last day, typed."""
    text = update.message.text if update.message else None
    started = await quiz.start(context.svc, update.effective_user.id, text)
    await reply(update, context, "quiz/started.j2", **vars(started))


async def poll_answer(update: Update, context: ZhibuContext) -> None:
    """A member's answer to a question's poll: recorded and the next question planned (others are ignored)."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return  # answered on behalf of a chat: not a member's own
    await quiz.answered(context.svc, answer.user.id, answer.poll_id, list(answer.option_ids))


PRESSES = (
    Press(cb.upload, quiz_bank.begin_upload, None, replies("quiz/ask_file.j2", params=lambda o: {"owner": o.name}),
          "上传题库: the next file sent is read as a question bank."),
    Press(cb.start, quiz.begin_start, None, replies("quiz/ask_start.j2", params=lambda info: info),
          "开始本季度测试: ask for N and the last day."),
    Press(cb.discard, quiz_bank.discard, None, lambda update, context, _: edit(update, "quiz/discarded.j2"),
          "放弃: the previewed bank is not stored."),
    Press(cb.mine, quiz.my_results, None, replies("quiz/mine.j2", params=_mine_params),
          "A member's own answers and explanations of one test."),
)

FORMS = (Form(quiz_bank.HELD, bank_step), Form(quiz.STARTING, start_step))


def handlers() -> list:
    return [CommandHandler("quiz", quiz_command), on_press(cb.confirm, confirm_pressed), PollAnswerHandler(poll_answer),
            *presses(PRESSES)]
