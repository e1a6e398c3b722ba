"""Wiring: settings → features → ApplicationBuilder (rate limiter, job queue, typed context) → handlers → run.

The features are bot/catalog.py's list with their chat sides attached (handlers.with_chat); one registry built
from that list feeds the services (`svc.features`), the drain's ticks and relevance checks, and the handlers.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import signal

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder

import handlers
from bot import heap
from bot.catalog import core_features
from bot.clock import Clock
from bot.context import CONTEXT_TYPES, ZhibuContext
from bot.features import Feature, Registry
from bot.scheduler import Drainer
from bot.services import Services, filing, notices, notify, officer_notices, quiz, updates
from bot.settings import Settings
from handlers.telegram.aiohttp_request import AiohttpRequest
from handlers.telegram.delivery import make_sender
from handlers.telegram.menus import set_default_menu, set_officer_menus
from handlers.telegram.ordering import PerChatOrder
from handlers.telegram.pacing import SteadyRateLimiter, bulk_sends
from handlers.telegram.webhook import WebhookServer
from storage.db import open_database
from storage.leadership import Leadership, leadership_for

log = logging.getLogger(__name__)

LEAD_CHECK = 2.0  # seconds between a process's checks of who leads the bot: how soon leadership moves


def features() -> list[Feature]:
    """Every feature of the bot, in the catalog's order, each with its chat side."""
    return handlers.with_chat(core_features())


def build_application(settings: Settings, clock: Clock | None = None, *, poll_timeout: int = 30,
                      polling: bool = True, leadership: Leadership | None = None) -> Application:
    """The bot as `zhibu run` and `zhibu demo` run it; tests build the very same one.

    One process leads the bot (storage/leadership.py): it runs the ticks and the outbox's sender and, with long
    polling, it alone polls — a process that does not lead waits here until it does. By webhook (`polling`
    False) every process answers the updates it is given, and the others take over the leader's part within
    seconds of its end."""
    token = settings.require_token()
    clock = clock or Clock()
    listed = features()
    registry = Registry.from_features(listed)
    order = PerChatOrder()

    async def post_init(app: Application) -> None:
        app.bot_data.leadership = leads = leadership or leadership_for(settings.db)
        await take_the_lead(leads, wait=polling)
        db = await open_database(settings.db)
        svc = Services(db=db, settings=settings, clock=clock, bot_username=app.bot.username or "zhibu_bot",
                       features=registry)
        app.bot_data.svc = svc
        order.attach(db, svc.now, app.process_update)
        # The outbox's sends are bulk: a reply to someone waiting takes the next send slot before them.
        drainer = Drainer(svc, bulk_sends(make_sender(app.bot, lambda ref: filing.stored_file(svc, ref),
                                                      lambda ref, poll_id: quiz.poll_sent(svc, ref, poll_id),
                                                      paid_kinds(settings))),
                          notify.member_unreachable,
                          spawn=lambda coroutine: app.create_task(coroutine, name="outbox-ticks"))
        app.bot_data.drainer = drainer
        svc.wake_outbox = lambda: app.create_task(drainer.drain() if leads.leads else leads.nudge(), name="outbox-wake")
        leads.on_nudge = svc.wake_outbox
        await drainer.recover(sole=leads.sole)
        await set_default_menu(app.bot)
        # Officers have their ☰ menu before they first write (one call each, only when it changed).
        app.job_queue.run_once(_officer_menus_job, when=0, name="officer-menus")
        # A bot that was down sends what fell due while it was stopped as soon as the scheduler starts. This is
        # a one-off job with no misfire limit: an interval job whose start is already past when the scheduler
        # starts would wait a whole interval first (that is how APScheduler's interval trigger counts).
        app.job_queue.run_once(_drain_job, when=0, name="outbox-catch-up", job_kwargs={"misfire_grace_time": None})
        app.job_queue.run_repeating(_drain_job, interval=settings.drain_interval, first=settings.drain_interval,
                                    name="outbox-drain", job_kwargs={"max_instances": 1, "coalesce": True})
        app.job_queue.run_repeating(_forget_updates_job, interval=3600, first=60, name="forget-old-updates")
        app.job_queue.run_repeating(_leadership_job, interval=LEAD_CHECK, first=LEAD_CHECK, name="leadership",
                                    data=polling, job_kwargs={"max_instances": 1, "coalesce": True})
        log.info("zhibu is up as @%s, database %s", app.bot.username, settings.db_label)

    async def post_shutdown(app: Application) -> None:
        svc = app.bot_data.svc
        if svc is not None:
            await svc.db.close()
        if app.bot_data.leadership is not None:
            await app.bot_data.leadership.close()

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(order)
        # Telegram's limits: 30 msg/s overall, 20 msg/min into one group; 429s are retried after retry_after.
        # We pace at ZHIBU_SEND_RATE (30/s by default) and ZHIBU_GROUP_SEND_RATE (20/min into a group), evenly
        # spaced, never in bursts.
        .rate_limiter(SteadyRateLimiter(settings.send_rate, group_per_minute=settings.group_send_rate))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    app = with_http_client(builder, settings, poll_timeout).build()
    handlers.register(app, listed)
    return app


def paid_kinds(settings: Settings) -> frozenset[str]:
    """What ZHIBU_PAID_BROADCAST pays for: the notices (a branch's and an officer's copies, and their 催读)."""
    if not settings.paid_broadcast:
        return frozenset()
    return frozenset({c.copy_kind for c in (notices.CHANNEL, officer_notices.CHANNEL)}
                     | {c.nudge_kind for c in (notices.CHANNEL, officer_notices.CHANNEL)})


def with_http_client(builder: ApplicationBuilder, settings: Settings, poll_timeout: int) -> ApplicationBuilder:
    """The HTTP client (ZHIBU_HTTP_CLIENT) and its time limits.

    PTB waits 5 s for an answer by default; a send Telegram answers later than that has usually arrived, and
    treating it as lost made duplicates. Waiting for a connection or a free pool slot sends nothing, so those limits
    are only about giving up in time. getUpdates holds the request open for `poll_timeout` seconds by design; it
    gets its own limits."""
    wait = settings.send_timeout
    sends = dict(read_timeout=wait, write_timeout=wait, connect_timeout=min(wait, 10.0), pool_timeout=wait)
    polls = dict(read_timeout=poll_timeout + 10, write_timeout=10.0, connect_timeout=10.0, pool_timeout=10.0)
    if settings.http_client == "aiohttp":
        return (builder.request(AiohttpRequest(**sends, media_write_timeout=max(wait, 60.0)))
                .get_updates_request(AiohttpRequest(pool_size=1, **polls)))
    return (builder.read_timeout(sends["read_timeout"]).write_timeout(sends["write_timeout"])
            .media_write_timeout(max(wait, 60.0)).connect_timeout(sends["connect_timeout"])
            .pool_timeout(sends["pool_timeout"])
            .get_updates_read_timeout(polls["read_timeout"]).get_updates_write_timeout(polls["write_timeout"])
            .get_updates_connect_timeout(polls["connect_timeout"]).get_updates_pool_timeout(polls["pool_timeout"]))


async def take_the_lead(leadership: Leadership, *, wait: bool) -> None:
    """Lead the bot if nobody does; with `wait` (long polling), wait until this process does."""
    if await leadership.try_lead():
        return
    if not wait:
        log.warning("another process leads this bot: this one answers updates, the leader sends and runs the ticks")
        return
    log.warning("another process leads this bot; only the leader polls, so this one waits to take over")
    while not await leadership.try_lead():
        await asyncio.sleep(LEAD_CHECK)
    log.warning("this process leads the bot now")


async def _leadership_job(context: ZhibuContext) -> None:
    """Every LEAD_CHECK seconds: a process that leads checks it still does; one that does not asks again (the
    leader may have died), and sends what is due at once when it takes over. A polling leader that lost the lead
    (its database connection broke) stops: another process polls now, and a supervisor starts this one again."""
    leadership = context.bot_data.leadership
    led = leadership.leads
    if await leadership.try_lead():
        if not led:
            log.warning("this process leads the bot now: it runs the ticks and sends the outbox")
            context.application.create_task(context.bot_data.drainer.drain(), name="outbox-take-over")
    elif led:
        log.error("this process no longer leads the bot")
        if context.job.data:
            context.application.stop_running()


async def _drain_job(context: ZhibuContext) -> None:
    if context.bot_data.leadership.leads:
        await context.bot_data.drainer.drain()


async def _officer_menus_job(context: ZhibuContext) -> None:
    if context.bot_data.leadership.leads:
        await set_officer_menus(context.bot, context.bot_data.svc)


async def _forget_updates_job(context: ZhibuContext) -> None:
    if not context.bot_data.leadership.leads:
        return
    svc = context.bot_data.svc
    await updates.forget_old(svc.db, svc.now())


def run_polling(settings: Settings, leadership: Leadership | None = None) -> None:
    """`zhibu run`: long polling until Ctrl-C / SIGTERM; first wait for the Bot API (a stop while waiting ends it)."""
    if not asyncio.run(wait_for_api(settings)):
        return
    app = build_application(settings, leadership=leadership)
    heap.freeze()  # the process is set up: full collections no longer walk what it built
    # Should the API drop again between the check and start-up, PTB retries start-up too (quietly) instead of dying.
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False, bootstrap_retries=-1)


def run_webhook(settings: Settings, leadership: Leadership | None = None) -> None:
    """`zhibu run` with ZHIBU_WEBHOOK_URL set: updates arrive by HTTPS POST through the office's reverse proxy."""
    if not asyncio.run(wait_for_api(settings)):
        return
    asyncio.run(_serve_webhook(settings, leadership))


async def _serve_webhook(settings: Settings, leadership: Leadership | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    app = build_application(settings, polling=False, leadership=leadership)
    heap.freeze()
    # The order run_polling keeps: initialize, post_init, start; then the server, and the Bot API told last, so
    # the first update finds someone listening.
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    server = WebhookServer(app, settings)
    try:
        await server.listen()
        await server.register()
        await stop.wait()
    finally:
        await server.close()
        await app.stop()
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


RETRY_DELAYS = (1, 2, 4, 8, 15, 30)  # seconds between attempts to reach the Bot API; the last one repeats


async def wait_for_api(settings: Settings, delays: tuple[float, ...] = RETRY_DELAYS) -> bool:
    """Ask the Bot API who we are until it answers (True), with one log line per failed attempt and growing pauses
    — a network or Telegram outage at start must not end the process. Ctrl-C or SIGTERM while waiting: False."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    bot = Bot(settings.require_token(), base_url=settings.api_base_url, base_file_url=settings.api_file_url)
    try:
        for attempt in itertools.count(1):
            try:
                async with bot:  # initialize() asks getMe
                    return True
            except InvalidToken:
                raise
            except TelegramError as exc:
                delay = delays[min(attempt, len(delays)) - 1]
                log.warning("Bot API not reachable (attempt %d: %s); trying again in %s s", attempt, exc, delay)
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                continue
            log.warning("stopped before the Bot API could be reached")
            return False
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
