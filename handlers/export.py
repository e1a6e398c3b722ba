"""/export: the record books as files, chosen by taps (book, then period) or typed (/export 考勤 2026), for the
secretary (and committee members)."""

from __future__ import annotations

from io import BytesIO

from telegram import InputFile, Update
from telegram.ext import CommandHandler

from bot.callbacks import export as cb
from bot.context import ZhibuContext
from bot.outgoing import Button, button
from bot.render import plain_text, render
from bot.services import record_books, unit_books
from handlers import filing
from handlers.telegram.common import edit, guarded, on_press, pressed, reply


def _book_rows(books) -> list[list[Button]]:
    labels = [button("export/book", cb.book(e.name), label=e.label) for e in books]
    return [labels[i : i + 2] for i in range(0, len(labels), 2)]


def _period_rows(exporter, choices) -> list[list[Button]]:
    labels = [button("export/period", cb.period(exporter.name, c.number), label=c.label) for c in choices]
    return [labels[i : i + 2] for i in range(0, len(labels), 2)] + [[button("export/back", cb.back())]]


async def _send(update: Update, context: ZhibuContext, name: str, period: str) -> None:
    exporter, file = await record_books.build(context.svc, update.effective_user.id, name, period)
    caption = plain_text(render("export/caption.j2", exporter=exporter, period=period))
    await context.bot.send_document(update.effective_chat.id, InputFile(BytesIO(file.data), filename=file.filename),
                                    caption=caption)


@guarded
async def export(update: Update, context: ZhibuContext) -> None:
    """/export: the books as buttons; /export 考勤 → its periods; /export 考勤 2026 → the file at once."""
    svc, user_id, args = context.svc, update.effective_user.id, context.args or []
    if await unit_books.exports_for_unit(svc, user_id):  # an officer outside a branch committee: the unit's books
        await filing.unit_export(update, context)
        return
    books = await record_books.books_for(svc, user_id)
    exporter = record_books.find(svc, args[0]) if args else None
    if exporter is None or len(args) > 2:
        await reply(update, context, "export/usage.j2", _book_rows(books), exporters=books)
    elif len(args) == 1:
        exporter, choices = await record_books.periods_for(svc, user_id, exporter.name)
        await reply(update, context, "export/periods.j2", _period_rows(exporter, choices), exporter=exporter)
    else:
        await _send(update, context, exporter.name, args[1])


@guarded
async def book_pressed(update: Update, context: ZhibuContext) -> None:
    """A record book: its periods in place."""
    (name,) = pressed(update, cb.book)
    exporter, choices = await record_books.periods_for(context.svc, update.effective_user.id, name)
    await update.callback_query.answer()
    await edit(update, "export/periods.j2", _period_rows(exporter, choices), exporter=exporter)


@guarded
async def period_pressed(update: Update, context: ZhibuContext) -> None:
    """A period: the file is built (the presser re-checked) and sent."""
    name, number = pressed(update, cb.period)
    await _send(update, context, name, record_books.period_code(number))
    await update.callback_query.answer()


@guarded
async def back_pressed(update: Update, context: ZhibuContext) -> None:
    """« 返回: the list of books again."""
    pressed(update, cb.back)
    books = await record_books.books_for(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await edit(update, "export/usage.j2", _book_rows(books), exporters=books)


def handlers() -> list:
    return [CommandHandler("export", export), on_press(cb.book, book_pressed), on_press(cb.period, period_pressed),
            on_press(cb.back, back_pressed)]
