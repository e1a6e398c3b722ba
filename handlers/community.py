"""在职党员到社区报到 in chat: a member opens a community's 报到 link (registered, the community confirms with a
tap), claims its posts (认岗), logs service on one line (记录服务), which the community confirms with a tap; /serve
shows a member their registrations and this year's service, and a community's secretary its 报到 link, its posts
(设岗) and what waits for confirmation. Every press is re-authorised by the use case."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.callbacks import community as cb
from bot.context import ZhibuContext
from bot.domain.community import hours
from bot.domain.models import Conversation
from bot.features import Form
from bot.outgoing import Button, button
from bot.services import community_hours, community_service
from bot.services.community_hours import Logged
from bot.services.community_service import Registered
from handlers.telegram.common import guarded, reply
from handlers.telegram.presses import Press, edits, presses, replies


async def opened_link(update: Update, context: ZhibuContext, code: str) -> bool:
    """A community's 报到 link (False for any other code): the member is registered, to be confirmed."""
    if not code.startswith(community_service.LINK_PREFIX):
        return False
    done = await community_service.register(context.svc, update.effective_user.id,
                                            code.removeprefix(community_service.LINK_PREFIX))
    await reply(update, context, "community/registered.j2", community=done.community)
    return True


def _member_rows(shown: Registered) -> list[list[Button]]:
    registration = shown.registration.id
    return [[button("community/posts", cb.posts(registration)), button("community/log", cb.log(registration))]]


@guarded
async def show_serve(update: Update, context: ZhibuContext) -> None:
    """/serve: the member's registrations and this year's confirmed service; a secretary's community side."""
    svc, user_id = context.svc, update.effective_user.id
    found = await community_service.overview(svc, user_id)
    total, logged = await community_hours.mine(svc, user_id)
    rows = [row for shown in found.mine if shown.registration.confirmed for row in _member_rows(shown)][:20]
    if found.link is not None:
        rows.append([button("community/set_posts", cb.set_posts())])
        rows += [[button("community/confirm_named", cb.confirm(r.registration.id), name=r.member.name)]
                 for r in found.waiting_registrations[:20]]
    await reply(update, context, "community/overview.j2", rows, found=found, total=total.__dict__,
                total_hours=total.hours, logged=[_line(s) for s in logged[-10:]])
    if found.waiting_services:
        await _waiting(update, context)


async def _waiting(update: Update, context: ZhibuContext) -> None:
    """The service waiting for the community's confirmation, one button each."""
    waiting = await community_hours.waiting(context.svc, update.effective_user.id)
    rows = [[button("community/confirm_named_service", cb.service(s.id), name=name, day=s.served_on,
                    hours=hours(s.minutes))] for s, name in waiting[:30]]
    await reply(update, context, "community/waiting.j2", rows, count=len(waiting))


def _line(service) -> dict:
    return {"day": service.served_on, "hours": hours(service.minutes), "what": service.what,
            "confirmed": service.confirmed}


async def posts_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The community's posts typed by its secretary: they replace the list."""
    names = await community_service.save_posts(context.svc, update.effective_user.id, conversation.data,
                                               update.message.text if update.message else None)
    await reply(update, context, "community/posts_saved.j2", posts=names)


async def service_step(update: Update, context: ZhibuContext, conversation: Conversation) -> None:
    """The service typed on one line: kept and sent to the community to confirm."""
    done = await community_hours.log(context.svc, update.effective_user.id, conversation.data,
                                     update.message.text if update.message else None)
    await reply(update, context, "community/logged.j2", **_logged(done))


def _logged(done: Logged) -> dict:
    return {"community": done.community, "name": done.member.name, **_line(done.service)}


def _claim_rows(shown: Registered) -> list[list[Button]]:
    return [[button("community/claim", cb.claim(shown.registration.id, post), name=name, claimed=claimed)]
            for post, name, claimed in shown.posts]


def _posts_params(shown: Registered) -> dict:
    return {"community": shown.community, "count": len(shown.posts),
            "claimed": [name for _, name, claimed in shown.posts if claimed]}


PRESSES = (
    Press(cb.confirm, community_service.confirm,
          lambda r: ("registration_confirmed" if r.fresh else "registration_confirmed_before", {}),
          edits("community/registration_confirmed.j2",
                params=lambda r: {"name": r.member.name, "community": r.community}),
          "确认报到: the member is the community's; the card says so."),
    Press(cb.posts, community_service.posts_of, None, replies("community/posts.j2", _claim_rows, _posts_params),
          "认岗: the community's posts, each to claim or give up."),
    Press(cb.claim, community_service.toggle, None, edits("community/posts.j2", _claim_rows, _posts_params),
          "A post pressed: claimed or given up; the list shows it."),
    Press(cb.log, community_hours.begin, None,
          replies("community/ask_service.j2", params=lambda r: {"community": r.community}),
          "记录服务: the service is asked for, on one line."),
    Press(cb.service, community_hours.confirm,
          lambda r: ("service_confirmed" if r.fresh else "service_confirmed_before", {}),
          edits("community/service_confirmed.j2", params=_logged),
          "确认服务: the hours count; the card says so."),
    Press(cb.set_posts, community_service.begin_posts, None,
          replies("community/ask_posts.j2", params=lambda names: {"posts": names}),
          "设岗: the community's posts are asked for."),
)

FORMS = (Form(community_service.POSTS_FORM, posts_step), Form(community_hours.FORM, service_step))


def handlers() -> list:
    return [CommandHandler("serve", show_serve, filters.ChatType.PRIVATE), *presses(PRESSES)]
