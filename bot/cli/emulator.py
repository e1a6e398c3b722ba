"""`zhibu emulator`: the Bot API emulator on its own, with the phone page, for trying `zhibu run` without Telegram.

    zhibu emulator --port 8081
    ZHIBU_TOKEN=123456:TEST-TOKEN ZHIBU_API_BASE_URL=http://127.0.0.1:8081/bot \\
        ZHIBU_API_FILE_URL=http://127.0.0.1:8081/file/bot zhibu run
"""

from __future__ import annotations

import argparse
import asyncio

from bot.emulator.bots import parse_tokens
from bot.settings import Settings
from bot.signals import until_stopped

DEFAULT_PEOPLE = ("1001:王建国", "2001:李红梅", "2002:赵建国")
VISITOR = (3001, "新访客")


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("emulator", help="serve the Bot API emulator and its phone page (zhibu run can use it)")
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1; keep it on loopback)")
    parser.add_argument("--port", type=int, default=8081, help="port (default 8081)")
    parser.add_argument("--token", default="123456:TEST-TOKEN", help="the token the bot must use")
    parser.add_argument("--username", default="zhibu_bot", help="the bot's username (default zhibu_bot)")
    parser.add_argument("--tokens", action="append", metavar="TOKEN[=USERNAME],…",
                        help="more bots on the same server, one per county: each its own chats, updates and "
                             "30 msg/s (repeatable or comma-separated; the phone page shows the --token bot)")
    parser.add_argument("--any-token", action="store_true",
                        help="a well-formed token never seen before becomes a bot of its own on first use")
    parser.add_argument("--webhook-via", metavar="URL",
                        help="play the reverse proxy too: post webhook updates to this local address instead of the "
                             "registered URL's host (e.g. http://127.0.0.1:8443, ZHIBU_WEBHOOK_LISTEN)")
    parser.add_argument("--person", action="append", metavar="ID:NAME",
                        help="a person with a phone on the page (repeatable; default: "
                             + ", ".join(DEFAULT_PEOPLE) + ")")
    parser.set_defaults(func=run)


def _people(specs: list[str]) -> list[tuple[int, str]]:
    people = []
    for spec in specs:
        number, _, name = spec.partition(":")
        if not number.strip().isdigit() or not name.strip():
            raise SystemExit(f"error: --person {spec!r}: expected ID:NAME, e.g. 1001:王建国")
        people.append((int(number), name.strip()))
    return people


async def serve(host: str, port: int, token: str, username: str, people: list[tuple[int, str]],
                webhook_via: str | None = None, more: list[tuple[str, str | None]] = (),
                any_token: bool = False) -> None:
    from bot.emulator import Emulator
    from bot.emulator.control import add_control_routes
    from bot.emulator.page import add_page_routes

    emu = Emulator(token=token, bot_username=username, host=host, port=port, new_tokens=any_token)
    emu.webhook_via = webhook_via
    for other, other_name in more:
        emu.add_bot(other, other_name)
    add_control_routes(emu)
    add_page_routes(emu.app, lambda: {
        "title": "Bot API 模拟器", "bot": emu.bot_username,
        "phones": [{"id": p.id, "name": p.first_name, "title": "尚未加入" if p.id == VISITOR[0] else ""}
                   for p in emu.people.values()],
        # Until the visitor has talked to the bot, an invite link opens as them; after that, as someone new.
        "visitor": None if emu.events(VISITOR[0]) else {"id": VISITOR[0], "name": VISITOR[1]},
    })
    for person_id, name in people:
        emu.user(person_id, name)
    emu.user(*VISITOR)
    await emu.start()
    print(f"Bot API emulator for token {token} at {emu.base_url} (files: {emu.base_file_url})")
    print(f"phones: open {emu.root_url}/ in a browser. Run the bot against it with:")
    print(f"  ZHIBU_TOKEN={token} ZHIBU_API_BASE_URL={emu.base_url} ZHIBU_API_FILE_URL={emu.base_file_url} zhibu run",
          flush=True)
    for other in [b for b in emu.bots.values() if b is not emu]:
        print(f"also bot @{other.bot_username}: ZHIBU_TOKEN={other.token}", flush=True)
    if any_token:
        print("any other well-formed token is a bot of its own on first use", flush=True)
    try:
        await until_stopped()
    finally:
        await emu.stop()


def run(settings: Settings, args: argparse.Namespace) -> int:
    people = _people(args.person or list(DEFAULT_PEOPLE))
    try:
        more = [t for t in parse_tokens(args.tokens or []) if t[0] != args.token]
    except ValueError as exc:
        raise SystemExit(f"error: --tokens {exc}") from None
    try:
        asyncio.run(serve(args.host, args.port, args.token, args.username, people, args.webhook_via, more,
                          args.any_token))
    except OSError as exc:
        print(f"error: cannot serve on {args.host}:{args.port} ({exc.strerror or exc}); try --port", flush=True)
        return 1
    return 0
