"""The roster workbook sent to the bot by an officer: a preview, then 确认导入 / 放弃; and the personal links
(a member's own, an officer's) opened through /start."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot import uploads
from bot.callbacks import units as cb
from bot.context import ZhibuContext
from bot.features import Form
from bot.outgoing import button
from bot.services import conversations, linking, quiz_bank, roster, units
from handlers import forms
from handlers.telegram.common import edit, guarded, on_press, pressed, reply, toast
from handlers.telegram.menus import set_member_menu, set_officer_menu


async def _content(context: ZhibuContext, file_id: str) -> bytes:
    file = await context.bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


@guarded
async def roster_file(update: Update, context: ZhibuContext) -> None:
    """An .xlsx from an officer: what importing it would do; anyone else's file, or one an officer's form waits for
    (a question bank), goes to their form as before."""
    svc, user, document = context.svc, update.effective_user, update.message.document
    waiting = await conversations.current(svc, user.id)
    if not await units.is_officer(svc, user.id) or (waiting is not None and waiting.kind == quiz_bank.HELD):
        await forms.on_input(update, context)
        return
    uploads.check_size(document.file_size)  # refused before it is downloaded; the rest is checked by the preview
    plan = await roster.preview(svc, await _content(context, document.file_id), actor=user.id)
    if plan.changes:
        await roster.hold(svc, user.id, document.file_id)
    rows = [[button("roster/confirm", cb.import_confirm()), button("roster/discard", cb.import_discard())]]
    await reply(update, context, "roster/preview.j2", rows if plan.changes else None, cli=False,
                **roster.summary(plan))


@guarded
async def confirm_pressed(update: Update, context: ZhibuContext) -> None:
    """确认导入: the previewed file is imported (recomputed now, inside one transaction)."""
    svc, user = context.svc, update.effective_user
    file_id = await roster.held(svc, user.id)
    await toast(update, "roster_importing")
    plan = await roster.apply(svc, await _content(context, file_id), actor=user.id)
    await roster.drop(svc, user.id)
    await edit(update, "roster/applied.j2", **roster.summary(plan))


@guarded
async def discard_pressed(update: Update, context: ZhibuContext) -> None:
    """放弃: nothing is imported."""
    await roster.held(context.svc, update.effective_user.id)
    await roster.drop(context.svc, update.effective_user.id)
    await update.callback_query.answer()
    await edit(update, "roster/discarded.j2")


@guarded
async def join_as_roster_pressed(update: Update, context: ZhibuContext) -> None:
    """通过（即名册上的…）on a join card: the person becomes that roster row, re-authorised here."""
    (member_id,) = pressed(update, cb.join_as_roster)
    decision = await linking.approve_as_roster(context.svc, update.effective_user.id, member_id)
    await toast(update, "decided", already=decision.already)
    await edit(update, "join/decided_card.j2", member=decision.member, approved=decision.approved)
    if decision.approved and not decision.already:
        await set_member_menu(context.bot, context.svc, decision.member)


async def waiting_step(update: Update, context: ZhibuContext, conversation) -> None:
    """Something typed while a preview waits for its button: say so (the file stays held)."""
    await reply(update, context, "roster/use_buttons.j2")


async def opened_personal_link(update: Update, context: ZhibuContext, code: str) -> bool:
    """/start with an officer's or a member's personal code: done here (True), or not such a code (False)."""
    svc, user = context.svc, update.effective_user
    unit = await units.accept_officer_invite(svc, user.id, code, user.full_name)
    if unit is not None:
        await set_officer_menu(context.bot, svc, user.id)
        await reply(update, context, "units/became_officer.j2", unit=unit.name)
        return True
    member = await linking.claim(svc, user.id, code)
    if member is None:
        return False
    await set_member_menu(context.bot, svc, member, user.id in svc.settings.admins)
    await reply(update, context, "roster/linked.j2", member=member, branch=await linking.branch_name(svc, member))
    return True


FORMS = (Form(roster.HELD, waiting_step),)


def handlers() -> list:
    xlsx = filters.ChatType.PRIVATE & filters.Document.FileExtension("xlsx")
    return [MessageHandler(xlsx, roster_file), on_press(cb.import_confirm, confirm_pressed),
            on_press(cb.import_discard, discard_pressed), on_press(cb.join_as_roster, join_as_roster_pressed)]
